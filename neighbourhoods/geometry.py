"""The one place that checks GeoJSON geometry: area boundaries and points.

The admin form, the import command, the split service and every other app's API use these
functions, so a boundary or point is judged the same way wherever it comes in. Boundaries are
GeoJSON Polygon or MultiPolygon geometries in WGS84 longitude/latitude.
"""

import json
import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

# A child may stick out of its parent, and siblings may overlap, by this share of their area
# (rounding, digitising); shared edges never count as overlap.
AREA_TOLERANCE = 0.005
EDGE_TOLERANCE_DEGREES = 1e-6

BOUNDARY_TYPES = ("Polygon", "MultiPolygon")

_VALIDITY_REASONS = {
    "Self-intersection": "Die Grenze überschneidet sich selbst",
    "Ring Self-intersection": "Ein Ring berührt oder überschneidet sich selbst",
    "Hole lies outside shell": "Ein Loch liegt außerhalb der Außengrenze",
    "Nested holes": "Löcher liegen ineinander",
    "Interior is disconnected": "Das Innere zerfällt in getrennte Teile",
    "Nested shells": "Ein Polygon liegt in einem anderen",
    "Too few points": "Ein Ring hat zu wenige Punkte",
    "Invalid Coordinate": "Eine Koordinate ist ungültig",
    "Ring is not closed": "Ein Ring ist nicht geschlossen",
}


def load_json(value):
    """A dict from a JSON string or a dict; ValidationError with a German message otherwise."""
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Bitte eine Geometrie im GeoJSON-Format angeben."), code="empty")
    try:
        data = json.loads(value)
    except (ValueError, RecursionError) as error:
        raise ValidationError(
            _("Das ist kein gültiges JSON: %(error)s") % {"error": str(error)[:120]},
            code="json",
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(_("Erwartet wird ein GeoJSON-Objekt."), code="type")
    return data


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_position(position):
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(_is_number(number) for number in position[:2])
    ):
        raise ValidationError(
            _("Jede Koordinate muss aus zwei Zahlen bestehen: [Längengrad, Breitengrad]."),
            code="position",
        )
    lng, lat = position[0], position[1]
    if -180 <= lng <= 180 and -90 <= lat <= 90:
        return
    if abs(lng) > 1000 or abs(lat) > 1000:
        raise ValidationError(
            _(
                "Die Koordinaten sehen projiziert aus (z. B. EPSG:25832/UTM: %(lng)s, %(lat)s). "
                "Benötigt werden WGS84-Koordinaten (Längengrad, Breitengrad, EPSG:4326) – "
                "bitte die Datei vorher umrechnen, z. B. mit QGIS oder ogr2ogr -t_srs EPSG:4326."
            )
            % {"lng": lng, "lat": lat},
            code="projected",
        )
    raise ValidationError(
        _(
            "Koordinate außerhalb des gültigen Bereichs: %(lng)s, %(lat)s. Längengrad muss "
            "zwischen -180 und 180, Breitengrad zwischen -90 und 90 liegen."
        )
        % {"lng": lng, "lat": lat},
        code="range",
    )


def _as_lists(value):
    """Tuples (shapely's mapping()) become lists, as in JSON; depth is bounded by GeoJSON."""
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value


def _check_rings(rings):
    if not isinstance(rings, list) or not rings:
        raise ValidationError(
            _("Ein Polygon braucht mindestens einen Ring aus Koordinaten."), code="rings"
        )
    for ring in rings:
        if not isinstance(ring, list):
            raise ValidationError(_("Ein Ring muss eine Liste von Koordinaten sein."), code="ring")
        for position in ring:
            _check_position(position)
        if len(ring) < 4:
            raise ValidationError(
                _("Ein Ring braucht mindestens vier Koordinaten (der letzte Punkt = der erste)."),
                code="ring_short",
            )
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValidationError(
                _(
                    "Ein Ring ist nicht geschlossen: der erste Punkt %(first)s und der letzte "
                    "Punkt %(last)s müssen gleich sein."
                )
                % {"first": list(ring[0][:2]), "last": list(ring[-1][:2])},
                code="ring_open",
            )


def _explain(geometry):
    explanation = explain_validity(geometry)
    match = re.match(r"^(.*?)\[\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s*\]$", explanation)
    if not match:
        return explanation
    reason, lng, lat = match.groups()
    reason = _VALIDITY_REASONS.get(reason.strip(), reason.strip())
    return _("%(reason)s bei Längengrad %(lng).6f, Breitengrad %(lat).6f") % {
        "reason": reason,
        "lng": float(lng),
        "lat": float(lat),
    }


def clean_boundary(value):
    """Check a boundary on its own and return it as a GeoJSON geometry dict.

    Accepts a dict or a JSON string; a Feature is unwrapped to its geometry. Raises
    ValidationError (German message) for anything that is not a valid Polygon/MultiPolygon in
    WGS84 longitude/latitude.
    """
    data = load_json(value)
    if data.get("type") == "Feature":
        data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValidationError(_("Das Feature hat keine Geometrie."), code="type")
    kind = data.get("type")
    if kind not in BOUNDARY_TYPES:
        raise ValidationError(
            _("Erwartet wird ein GeoJSON-Polygon oder -MultiPolygon, nicht %(kind)s.")
            % {"kind": str(kind)[:40]},
            code="type",
        )
    try:
        coordinates = _as_lists(data.get("coordinates"))
    except RecursionError as error:
        raise ValidationError(
            _("Die Koordinaten sind zu tief verschachtelt."), code="depth"
        ) from error
    if kind == "Polygon":
        _check_rings(coordinates)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(
                _("Ein MultiPolygon braucht mindestens ein Polygon."), code="rings"
            )
        for polygon in coordinates:
            _check_rings(polygon)
    geometry = shape({"type": kind, "coordinates": coordinates})
    if geometry.is_empty or geometry.convex_hull.area == 0:
        raise ValidationError(_("Die Grenze umschließt keine Fläche."), code="empty_area")
    if not geometry.is_valid:
        raise ValidationError(
            _("Die Grenze ist keine gültige Fläche: %(where)s.") % {"where": _explain(geometry)},
            code="invalid",
        )
    return {"type": kind, "coordinates": coordinates}


def boundary_shape(boundary):
    """The shapely geometry of a stored boundary, or None when there is none."""
    if not boundary:
        return None
    try:
        geometry = shape(boundary)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return None if geometry.is_empty else geometry


def check_within(child, parent, *, parent_name):
    """ValidationError unless the shape `child` lies within `parent` (small tolerance)."""
    if child.within(parent.buffer(EDGE_TOLERANCE_DEGREES)):
        return
    outside = child.difference(parent).area
    if outside <= AREA_TOLERANCE * child.area:
        return
    raise ValidationError(
        _(
            "Die Grenze liegt nicht innerhalb von „%(parent)s“: %(share).1f %% der Fläche liegen "
            "außerhalb."
        )
        % {"parent": parent_name, "share": 100 * outside / child.area},
        code="outside_parent",
    )


def check_no_overlap(geometry, others):
    """ValidationError if `geometry` overlaps any of `others` ((name, shape) pairs) by more
    than the tolerance; touching along a shared edge is fine."""
    for name, other in others:
        if other is None or not geometry.intersects(other):
            continue
        overlap = geometry.intersection(other).area
        if overlap > AREA_TOLERANCE * min(geometry.area, other.area):
            raise ValidationError(
                _("Die Grenze überschneidet sich mit „%(other)s“.") % {"other": name},
                code="overlap",
            )


def validate_area_boundary(value, *, parent=None, siblings=()):
    """Full check for an area's boundary: the geometry itself, within `parent` (an Area or
    None) and not overlapping `siblings` (Areas). Returns the cleaned geometry dict."""
    boundary = clean_boundary(value)
    geometry = shape(boundary)
    if parent is not None:
        parent_geometry = boundary_shape(parent.boundary)
        if parent_geometry is not None:
            check_within(geometry, parent_geometry, parent_name=parent.name)
    check_no_overlap(
        geometry, [(sibling.name, boundary_shape(sibling.boundary)) for sibling in siblings]
    )
    return boundary


def parse_point(value):
    """(lng, lat) from a GeoJSON Point (dict or JSON string); ValidationError otherwise.

    For other apps' location fields: `lng, lat = parse_point(form.cleaned_data["location"])`.
    """
    data = load_json(value)
    if data.get("type") == "Feature":
        data = data.get("geometry") if isinstance(data.get("geometry"), dict) else {}
    if data.get("type") != "Point":
        raise ValidationError(_("Erwartet wird ein GeoJSON-Punkt."), code="type")
    coordinates = data.get("coordinates")
    _check_position(coordinates)
    return float(coordinates[0]), float(coordinates[1])
