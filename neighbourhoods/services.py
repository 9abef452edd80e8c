"""Writes to the area tree: save, split, retire. Each runs in one transaction.

Split semantics (see README): splitting a *quarter* creates social spaces as its children; the
quarter stays current as their container. Splitting a *social space* retires it (valid_until)
and creates successors under the same parent, with `predecessors` pointing back. In both cases
every item of every registered located model that lies on the split area and has a point moves
to the new area containing that point, and every `on_split` callback runs, in the same
transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from shapely.geometry import shape

from .geometry import AREA_TOLERANCE, boundary_shape, check_no_overlap, check_within, point_lng_lat
from .geometry import clean_boundary as clean_geometry
from .models import Area, validate_area_name
from .permissions import is_coordination, manages_area
from .registry import located_models, split_callbacks

PALETTE = ["#1d5b79", "#2e7d4f", "#8a5a00", "#7b3f8c", "#b3261e", "#00687a", "#5b5f97"]


def _require_coordination(by):
    if by is not None and not is_coordination(by):
        raise PermissionDenied(_("Nur die Quartierskoordination darf den Gebietsbaum ändern."))


def _require_manages(by, *areas):
    """Splitting and retiring: coordination for every area, a quarter manager for their own
    areas (with sub-areas and successors) only."""
    if by is None or is_coordination(by):
        return
    for area in areas:
        if not manages_area(by, area):
            raise PermissionDenied(
                _("„%(area)s“ gehört nicht zu Ihren Gebieten.") % {"area": area.name}
            )


def unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:120] or "gebiet"
    slug, number = base, 2
    taken = Area.objects.exclude(pk=exclude_pk) if exclude_pk else Area.objects.all()
    while taken.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def area_save(*, area, by=None):
    """Create or update an area after the full check (boundary, parent, siblings)."""
    _require_coordination(by)
    if not area.slug:
        area.slug = unique_slug(area.name, exclude_pk=area.pk)
    with transaction.atomic():
        area.full_clean()
        area.save()
    return area


def _plan(*, old_area, targets, fallback_nearest, rest_to=None):
    """Where the items of every registered located model on `old_area` go, without writing.

    `targets`: (key, shapely geometry) pairs; an item goes to the first target covering its
    point, else (with `fallback_nearest`) to the nearest one. Items without a usable point, or
    outside every target, go to `rest_to` (a key) or stay (key None). Returns a list of
    (LocatedModel entry, {key: [pk, …]}) in registry order.
    """
    from shapely.geometry import Point

    targets = [(key, geometry) for key, geometry in targets if geometry is not None]
    plan = []
    for entry in located_models():
        manager = entry.model._base_manager
        moves = {}
        fields = ["pk", entry.point_field] if entry.point_field else ["pk"]
        for row in manager.filter(**{entry.area_field: old_area.pk}).values_list(*fields):
            target = None
            point = point_lng_lat(row[1]) if entry.point_field else None
            if point is not None:
                location = Point(*point)
                target = next((key for key, geometry in targets if geometry.covers(location)), None)
                if target is None and fallback_nearest and targets:
                    target = min(targets, key=lambda pair: pair[1].distance(location))[0]
            if target is None:
                target = rest_to
            moves.setdefault(target, []).append(row[0])
        plan.append((entry, moves))
    return plan


def _reassign(*, old_area, new_areas, fallback_nearest, rest_to=None):
    """Move items of every registered model from `old_area` to the new area containing their
    point (see `_plan`). Returns the number of items moved."""
    targets = [(area.pk, boundary_shape(area.boundary)) for area in new_areas]
    moved = 0
    plan = _plan(
        old_area=old_area, targets=targets, fallback_nearest=fallback_nearest, rest_to=rest_to
    )
    for entry, moves in plan:
        manager = entry.model._base_manager
        for target_pk, pks in moves.items():
            if target_pk is not None:
                moved += manager.filter(pk__in=pks).update(**{entry.area_field: target_pk})
    return moved


def _clean_children(*, area, children, parent_for_children, replaced):
    """Check the new areas against the split area, each other and the remaining siblings."""
    if not children:
        raise ValidationError(_("Für eine Aufteilung braucht es mindestens ein neues Gebiet."))
    container = boundary_shape(area.boundary)
    if container is None:
        raise ValidationError(
            _("„%(area)s“ hat keine Grenze und kann deshalb nicht aufgeteilt werden.")
            % {"area": area.name}
        )
    existing = Area.objects.current().filter(parent=parent_for_children)
    if replaced is not None:
        existing = existing.exclude(pk=replaced.pk)
    existing = list(existing)
    taken_names = {sibling.name.casefold() for sibling in existing}
    cleaned, others = [], [(sibling.name, boundary_shape(sibling.boundary)) for sibling in existing]
    for number, child in enumerate(children, start=1):
        name = (child.get("name") or "").strip()
        label = name or _("Gebiet Nr. %(number)s") % {"number": number}
        try:
            if not name:
                raise ValidationError(_("Der Name fehlt."))
            if len(name) > 120:
                raise ValidationError(_("Der Name ist länger als 120 Zeichen."))
            validate_area_name(name)
            if name.casefold() in taken_names:
                raise ValidationError(
                    _(
                        "Ein aktuelles Gebiet mit diesem Namen gibt es hier schon – wurde die "
                        "Aufteilung bereits ausgeführt?"
                    )
                )
            boundary = clean_geometry(child.get("boundary"))
            geometry = shape(boundary)
            check_within(geometry, container, parent_name=area.name)
            check_no_overlap(geometry, others)
        except ValidationError as error:
            raise ValidationError(
                _("%(label)s: %(message)s") % {"label": label, "message": " ".join(error.messages)}
            ) from error
        taken_names.add(name.casefold())
        others.append((name, geometry))
        cleaned.append({**child, "name": name, "boundary": boundary, "shape": geometry})
    return cleaned


def _check_date(*, area, valid_from):
    if valid_from > timezone.localdate():
        raise ValidationError(
            _("Eine Aufteilung gilt ab heute oder rückwirkend, nicht ab einem künftigen Datum.")
        )
    if valid_from < area.valid_from:
        raise ValidationError(
            _("Das Datum liegt vor dem Beginn von „%(area)s“ (%(date)s).")
            % {"area": area.name, "date": dateformat.format(area.valid_from, _("d.m.Y"))}
        )


def _check_covered(*, area, shapes):
    container = boundary_shape(area.boundary)
    missing = container.area - sum(geometry.intersection(container).area for geometry in shapes)
    if missing > AREA_TOLERANCE * container.area:
        raise ValidationError(
            _(
                "Die neuen Gebiete decken „%(area)s“ nicht ganz ab (%(share).1f %% "
                "fehlen). Ein Sozialraum wird vollständig aufgeteilt."
            )
            % {"area": area.name, "share": 100 * missing / container.area}
        )


def area_split(*, area, children, valid_from=None, by=None):
    """Split `area` into new social spaces; returns the new areas.

    `children`: a list of dicts with `name` and `boundary` (GeoJSON geometry) and optionally
    `description`, `colour`. A quarter stays current and gets the new areas as children; a
    social space is retired and the new areas become its successors under the same parent.
    Coordination splits every area, a quarter manager their own.
    """
    _require_manages(by, area)
    valid_from = valid_from or timezone.localdate()
    if isinstance(valid_from, datetime.datetime):
        valid_from = valid_from.date()
    with transaction.atomic():
        area = Area.objects.select_for_update().get(pk=area.pk)
        if not area.is_current:
            raise ValidationError(
                _("„%(area)s“ ist nicht mehr aktuell und kann nicht aufgeteilt werden.")
                % {"area": area.name}
            )
        _check_date(area=area, valid_from=valid_from)
        keeps_area = area.kind == Area.Kind.QUARTER
        parent = area if keeps_area else area.parent
        if not keeps_area and Area.objects.current().filter(parent=area).exists():
            raise ValidationError(
                _("„%(area)s“ hat noch aktuelle Teilgebiete; bitte diese aufteilen.")
                % {"area": area.name}
            )
        cleaned = _clean_children(
            area=area,
            children=children,
            parent_for_children=parent,
            replaced=None if keeps_area else area,
        )
        if not keeps_area:
            _check_covered(area=area, shapes=[child["shape"] for child in cleaned])
            area.valid_until = valid_from
            area.full_clean()
            area.save()
        new_areas = []
        for number, child in enumerate(cleaned):
            new_area = Area(
                name=child["name"],
                slug=unique_slug(child["name"]),
                kind=Area.Kind.SOCIAL_SPACE,
                parent=parent,
                boundary=child["boundary"],
                description=child.get("description") or "",
                colour=child.get("colour") or PALETTE[number % len(PALETTE)],
                valid_from=valid_from,
            )
            new_area.full_clean(exclude=["boundary"])  # checked above, against each other too
            new_area.save()
            if not keeps_area:
                new_area.predecessors.add(area)
            new_areas.append(new_area)
        _reassign(old_area=area, new_areas=new_areas, fallback_nearest=not keeps_area)
        for callback in split_callbacks():
            callback(old_area=area, new_areas=new_areas)
    return new_areas


def area_retire(*, area, successors=(), valid_until=None, by=None):
    """Retire `area` (valid_until); `successors` (current areas) record what it became and
    receive its located items by point (all of them when there is only one successor).
    Coordination retires every area, a quarter manager their own (for successors of theirs)."""
    successors = list(successors)
    _require_manages(by, area, *successors)
    valid_until = valid_until or timezone.localdate()
    with transaction.atomic():
        area = Area.objects.select_for_update().get(pk=area.pk)
        if area.valid_until is not None:
            raise ValidationError(
                _("„%(area)s“ ist bereits seit %(date)s nicht mehr aktuell.")
                % {"area": area.name, "date": dateformat.format(area.valid_until, _("d.m.Y"))}
            )
        if valid_until < area.valid_from:
            raise ValidationError(_("Das Enddatum liegt vor dem Beginn des Gebiets."))
        if Area.objects.current().filter(parent=area).exists():
            raise ValidationError(
                _("„%(area)s“ hat noch aktuelle Teilgebiete; bitte diese zuerst beenden.")
                % {"area": area.name}
            )
        for successor in successors:
            if successor.pk == area.pk or not successor.is_current:
                raise ValidationError(
                    _("Nachfolger müssen andere, aktuelle Gebiete sein: „%(area)s“ ist es nicht.")
                    % {"area": successor.name}
                )
        area.valid_until = valid_until
        area.full_clean()
        area.save()
        for successor in successors:
            successor.predecessors.add(area)
        if successors:
            _reassign(
                old_area=area,
                new_areas=successors,
                fallback_nearest=True,
                rest_to=successors[0].pk if len(successors) == 1 else None,
            )
        for callback in split_callbacks():
            callback(old_area=area, new_areas=successors)
    return area
