"""Dry runs of a split and a retirement: what the staff see before anything is written.

Both use the services' own checks and assignment plan (`services._plan`), so the preview says
exactly what `area_split` / `area_retire` would do with the data as it is now: per kind of
data (every registered located model and every registered split count) and per new area how
many items move, and how many stay with the former area. A split preview also measures the
parts against the area: what no part covers, where parts overlap each other and what lies
outside, in m² and % of the area. Nothing here writes.
"""

from dataclasses import dataclass, field
from itertools import combinations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from .geometry import area_m2, boundary_shape
from .geometry import clean_boundary as clean_geometry
from .models import Area
from .registry import split_counts
from .services import (
    _check_covered,
    _check_date,
    _clean_children,
    _plan,
    _require_manages,
)

MIN_PIECE_M2 = 1.0  # slivers below a square metre are drawing noise, not worth a line


@dataclass
class Part:
    name: str
    geometry: object
    m2: float
    share: float  # of the area being split, in %


@dataclass
class Piece:
    """A problem zone drawn on the preview map: "uncovered", "overlap" or "outside"."""

    kind: str
    label: str
    geometry: object
    m2: float
    share: float


@dataclass
class MoveRow:
    label: str
    counts: list  # per target, in the order of `Preview.targets`
    stays: int

    @property
    def total(self):
        return sum(self.counts) + self.stays


@dataclass
class Preview:
    area: Area
    targets: list  # names of the new areas / successors
    retires: bool
    parts: list = field(default_factory=list)
    pieces: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def geojson(self):
        """The area, the parts and the problem zones as one FeatureCollection for the map
        (`properties.role` chooses the style in maps.js)."""
        features = []
        container = boundary_shape(self.area.boundary)
        if container is not None:
            features.append(_feature(container, role="area", name=self.area.name))
        for number, part in enumerate(self.parts, start=1):
            features.append(_feature(part.geometry, role="part", name=part.name, number=number))
        for piece in self.pieces:
            features.append(_feature(piece.geometry, role=piece.kind, name=piece.label))
        return {"type": "FeatureCollection", "features": features}


def _feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def _polygonal(geometry):
    """Only the polygons of a shapely result (intersections may add lines and points)."""
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return unary_union(polygons) if polygons else None


def _piece(kind, label, geometry, total_m2):
    geometry = _polygonal(geometry)
    if geometry is None:
        return None
    m2 = area_m2(geometry)
    if m2 < MIN_PIECE_M2:
        return None
    return Piece(kind=kind, label=label, geometry=geometry, m2=m2, share=100 * m2 / total_m2)


def _move_rows(*, area, targets, new_areas, retires, fallback_nearest, rest_to=None):
    rows = []
    plan = _plan(old_area=area, targets=targets, fallback_nearest=fallback_nearest, rest_to=rest_to)
    for entry, moves in plan:
        rows.append(
            MoveRow(
                label=str(entry.model._meta.verbose_name_plural),
                counts=[len(moves.get(index, ())) for index in range(len(new_areas))],
                stays=len(moves.get(None, ())),
            )
        )
    for extra in split_counts():
        counts = extra.count(old_area=area, new_areas=new_areas, retires=retires)
        rows.append(
            MoveRow(
                label=str(extra.label),
                counts=[counts.get(index, 0) for index in range(len(new_areas))],
                stays=counts.get(None, 0),
            )
        )
    return rows


def area_split_preview(*, area, children, valid_from=None, by=None):
    """What `area_split(area=…, children=…)` would do, and what is wrong with the parts."""
    _require_manages(by, area)
    area = Area.objects.get(pk=area.pk)
    valid_from = valid_from or timezone.localdate()
    keeps_area = area.kind == Area.Kind.QUARTER
    names = [(child.get("name") or "").strip() for child in children]
    preview = Preview(area=area, targets=names, retires=not keeps_area)
    container = boundary_shape(area.boundary)
    try:
        if not area.is_current:
            raise ValidationError(
                _("„%(area)s“ ist nicht mehr aktuell und kann nicht aufgeteilt werden.")
                % {"area": area.name}
            )
        _check_date(area=area, valid_from=valid_from)
        if not keeps_area and Area.objects.current().filter(parent=area).exists():
            raise ValidationError(
                _("„%(area)s“ hat noch aktuelle Teilgebiete; bitte diese aufteilen.")
                % {"area": area.name}
            )
        cleaned = _clean_children(
            area=area,
            children=children,
            parent_for_children=area if keeps_area else area.parent,
            replaced=None if keeps_area else area,
        )
        if not keeps_area:
            _check_covered(area=area, shapes=[child["shape"] for child in cleaned])
    except ValidationError as error:
        preview.errors.extend(error.messages)
    if container is None:
        return preview
    total_m2 = area_m2(container)
    shapes = []
    for number, child in enumerate(children, start=1):
        try:
            geometry = shape(clean_geometry(child.get("boundary")))
        except (ValidationError, ValueError, TypeError, AttributeError):
            geometry = None
        shapes.append(geometry)
        if geometry is not None:
            m2 = area_m2(geometry)
            name = names[number - 1] or _("Teil %(number)s") % {"number": number}
            preview.parts.append(
                Part(name=name, geometry=geometry, m2=m2, share=100 * m2 / total_m2)
            )
    drawn = [geometry for geometry in shapes if geometry is not None]
    pieces = [
        _piece(
            "uncovered",
            _("Von keinem Teil abgedeckt"),
            container.difference(unary_union(drawn)) if drawn else container,
            total_m2,
        )
    ]
    labelled = [
        (names[index] or _("Teil %(number)s") % {"number": index + 1}, geometry)
        for index, geometry in enumerate(shapes)
        if geometry is not None
    ]
    for (first, one), (second, other) in combinations(labelled, 2):
        if one.intersects(other):
            pieces.append(
                _piece(
                    "overlap",
                    _("„%(first)s“ überschneidet „%(second)s“")
                    % {"first": first, "second": second},
                    one.intersection(other),
                    total_m2,
                )
            )
    for name, geometry in labelled:
        pieces.append(
            _piece(
                "outside",
                _("„%(part)s“ außerhalb von „%(area)s“") % {"part": name, "area": area.name},
                geometry.difference(container),
                total_m2,
            )
        )
    preview.pieces = [piece for piece in pieces if piece is not None]
    new_areas = [
        Area(name=name, boundary=child.get("boundary"), parent=area if keeps_area else area.parent)
        for name, child in zip(names, children, strict=True)
    ]
    preview.rows = _move_rows(
        area=area,
        targets=list(enumerate(shapes)),
        new_areas=new_areas,
        retires=not keeps_area,
        fallback_nearest=not keeps_area,
    )
    return preview


def area_retire_preview(*, area, successors=(), valid_until=None, by=None):
    """What `area_retire(area=…, successors=…)` would do: per kind and successor, how many
    items move, and what stays with the retired area as its history."""
    successors = list(successors)
    _require_manages(by, area, *successors)
    area = Area.objects.get(pk=area.pk)
    valid_until = valid_until or timezone.localdate()
    preview = Preview(area=area, targets=[s.name for s in successors], retires=True)
    if area.valid_until is not None:
        preview.errors.append(_("„%(area)s“ ist nicht mehr aktuell.") % {"area": area.name})
    if valid_until < area.valid_from:
        preview.errors.append(_("Das Enddatum liegt vor dem Beginn des Gebiets."))
    if Area.objects.current().filter(parent=area).exists():
        preview.errors.append(
            _("„%(area)s“ hat noch aktuelle Teilgebiete; bitte diese zuerst beenden.")
            % {"area": area.name}
        )
    for successor in successors:
        if successor.pk == area.pk or not successor.is_current:
            preview.errors.append(
                _("Nachfolger müssen andere, aktuelle Gebiete sein: „%(area)s“ ist es nicht.")
                % {"area": successor.name}
            )
    if successors:
        targets = [(index, boundary_shape(s.boundary)) for index, s in enumerate(successors)]
        preview.rows = _move_rows(
            area=area,
            targets=targets,
            new_areas=successors,
            retires=True,
            fallback_nearest=True,
            rest_to=0 if len(successors) == 1 else None,
        )
    else:
        preview.rows = _move_rows(
            area=area, targets=[], new_areas=[], retires=True, fallback_nearest=False
        )
    return preview
