"""'Mein Quartier': the residents' drawings of their neighbourhood, aggregated.

The drawings are counted on a grid of `CELL_METRES` cells (a cell counts for a drawing when its
centre lies inside it). Public: only cells covered by at least `SURVEY_MIN_ANSWERS` drawings.
Staff: proposed boundaries — for each quarter, the cells drawn by at least `PROPOSAL_SHARE` of
its densest cell's count, merged into contours, simplified and clipped to the quarter, as a
GeoJSON FeatureCollection that the area split screen takes as its file.
"""

import hashlib
import hmac
import math

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from shapely.geometry import box, mapping
from shapely.ops import unary_union
from shapely.prepared import prep

from neighbourhoods.geometry import boundary_shape
from neighbourhoods.lookup import area_for_point
from neighbourhoods.models import Area

from .models import SocialSpaceDrawing, min_answers

CELL_METRES = 100
PROPOSAL_SHARE = 0.5
SIMPLIFY_METRES = 25
ALREADY_DRAWN = _("Sie haben in diesem Jahr schon Ihr Viertel gezeichnet. Danke!")
OUTSIDE_CITY = _("Die Fläche liegt nicht in unserer Stadt. Bitte zeichnen Sie in der Stadt.")


def person_key(user):
    if not getattr(user, "is_authenticated", False):
        return ""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"socialspace:{user.pk}".encode(), hashlib.sha256).hexdigest()


def city_shape():
    quarters = Area.objects.current().filter(parent__isnull=True).exclude(boundary__isnull=True)
    shapes = [boundary_shape(area.boundary) for area in quarters]
    shapes = [item for item in shapes if item is not None]
    return unary_union(shapes) if shapes else None


def drawing_create(*, boundary, name, ties=(), identifies_with="", user=None):
    """One drawing per account and year (a database constraint; visitors are limited in the
    view). The drawing must lie mostly inside the city."""
    shape = boundary_shape(boundary)
    city = city_shape()
    if shape is None or city is None or shape.intersection(city).area < 0.5 * shape.area:
        raise ValidationError(OUTSIDE_CITY, code="outside_city")
    point = shape.representative_point()
    quarter = area_for_point(point.x, point.y)
    while quarter is not None and quarter.parent_id is not None:
        quarter = quarter.parent
    drawing = SocialSpaceDrawing(
        boundary=boundary,
        name=name.strip(),
        ties=sorted(set(ties)),
        identifies_with=identifies_with.strip(),
        quarter=quarter,
        person_key=person_key(user),
    )
    drawing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            drawing.save()
    except IntegrityError:
        raise ValidationError(ALREADY_DRAWN, code="already_drawn") from None
    return drawing


# A fixed reference latitude keeps the cells of all quarters (and all grids) aligned.
GRID_LATITUDE = 51.4


def cell_size(lat=GRID_LATITUDE, *, metres=CELL_METRES):
    dlat = metres / 111_320
    dlng = metres / (111_320 * math.cos(math.radians(lat)))
    return dlng, dlat


def _count_cells(boundaries, *, origin_lat):
    """{(i, j): number of drawings whose area holds the cell's centre}."""
    dlng, dlat = cell_size(origin_lat)
    counts = {}
    for boundary in boundaries:
        shape = boundary_shape(boundary)
        if shape is None:
            continue
        prepared = prep(shape)
        min_x, min_y, max_x, max_y = shape.bounds
        from shapely.geometry import Point

        for i in range(math.floor(min_x / dlng), math.ceil(max_x / dlng) + 1):
            for j in range(math.floor(min_y / dlat), math.ceil(max_y / dlat) + 1):
                if prepared.contains(Point((i + 0.5) * dlng, (j + 0.5) * dlat)):
                    counts[(i, j)] = counts.get((i, j), 0) + 1
    return counts, dlng, dlat


def _grid(quarter_id=None):
    drawings = SocialSpaceDrawing.objects.all()
    if quarter_id is not None:
        drawings = drawings.filter(quarter_id=quarter_id)
    state = drawings.aggregate(count=Count("pk"), last=Max("pk"))
    key = f"socialspace-grid:{quarter_id}:{state['count']}:{state['last']}"
    cached = cache.get(key)
    if cached is None:
        cached = _count_cells(drawings.values_list("boundary", flat=True), origin_lat=GRID_LATITUDE)
        cache.set(key, cached, 600)
    return cached


DENSITY_COLOURS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def _colour(count, top):
    """Darker where more people drew (the count is in the feature too)."""
    band = min(int(4 * count / (top + 1)), 3)
    return DENSITY_COLOURS[band]


def density_grid(*, minimum=None):
    """The public grid as a GeoJSON FeatureCollection of cells with a `count` property."""
    minimum = minimum or min_answers()
    counts, dlng, dlat = _grid()
    top = max(counts.values(), default=0)
    features = [
        {
            "type": "Feature",
            "geometry": mapping(box(i * dlng, j * dlat, (i + 1) * dlng, (j + 1) * dlat)),
            "properties": {
                "count": count,
                "colour": _colour(count, top),
                "fillOpacity": 0.6,
                "summary": str(_("%(count)s Zeichnungen") % {"count": count}),
            },
        }
        for (i, j), count in sorted(counts.items())
        if count >= minimum
    ]
    return {"type": "FeatureCollection", "features": features}


def common_names(*, minimum=None):
    """The names people use, as (name, drawings), for names used at least `minimum` times."""
    minimum = minimum or min_answers()
    rows = (
        SocialSpaceDrawing.objects.annotate(key=Lower("name"))
        .values("key")
        .annotate(count=Count("pk"), shown=Max("name"))
        .filter(count__gte=minimum)
        .order_by("-count", "key")[:30]
    )
    return [(row["shown"], row["count"]) for row in rows]


def proposed_boundaries(quarter):
    """Contours of the density within `quarter`, simplified and clipped to it: a
    FeatureCollection with a `name` (the most used name inside) and `drawings` per feature."""
    quarter_shape = boundary_shape(quarter.boundary)
    if quarter_shape is None:
        return {"type": "FeatureCollection", "features": []}
    counts, dlng, dlat = _grid(quarter.pk)
    minimum = min_answers()
    top = max(counts.values(), default=0)
    if top < minimum:
        return {"type": "FeatureCollection", "features": []}
    level = max(minimum, math.ceil(top * PROPOSAL_SHARE))
    cells = [
        box(i * dlng, j * dlat, (i + 1) * dlng, (j + 1) * dlat)
        for (i, j), count in counts.items()
        if count >= level
    ]
    merged = unary_union(cells).buffer(0)
    tolerance = SIMPLIFY_METRES / 111_320
    parts = list(getattr(merged, "geoms", [merged]))
    drawings = list(
        SocialSpaceDrawing.objects.filter(quarter=quarter).values_list("name", "boundary")
    )
    features = []
    for number, part in enumerate(sorted(parts, key=lambda p: -p.area), start=1):
        clipped = part.simplify(tolerance, preserve_topology=True).intersection(quarter_shape)
        clipped = clipped.buffer(0)
        if clipped.is_empty or clipped.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        inside = prep(clipped)
        names = {}
        for name, boundary in drawings:
            shape = boundary_shape(boundary)
            if shape is not None and inside.contains(shape.representative_point()):
                names[name.strip().lower()] = names.get(name.strip().lower(), 0) + 1
        name = max(names, key=names.get).title() if names else f"{quarter.name} {number}"
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(clipped),
                "properties": {"name": name, "drawings": sum(names.values())},
            }
        )
    return {"type": "FeatureCollection", "features": features}
