"""Point → area: the deepest current area whose boundary contains a point.

The geometry index (shapely shapes in an STRtree) is built once per process beside the area tree
(`selectors.area_tree`, the same cache) and rebuilt only when `AreaTreeVersion` in the database
says an area changed (or the day changed): every worker notices, at the cost of one tiny query
per lookup. The same index holds each area's representative point (a
point surely inside it, where maps put an area's marker).
"""

from dataclasses import dataclass, field

from shapely import STRtree
from shapely.geometry import Point, box
from shapely.prepared import prep

from .geometry import DISPLAY_TOLERANCE_DEGREES, boundary_shape, merge_boxes, point_lng_lat
from .models import Area
from .selectors import area_cache, area_tree


@dataclass
class _Index:
    area_ids: list
    depths: list
    shapes: list  # the display copies (simplified to about 1 m)
    prepared: list
    simplified: list  # True where the display copy differs from the exact boundary
    tree: STRtree | None
    points: dict  # area id → (lng, lat) of shapely's representative_point()
    bounds: dict  # area id → (min_lng, min_lat, max_lng, max_lat)
    exact: dict = field(default_factory=dict)  # area id → exact shape, loaded when needed


def _build(key):
    tree = area_tree(key=key)
    # The exact boundaries are read here, once per tree version, only to know which areas were
    # simplified; lookups keep only the display copies in memory.
    rows = (
        Area.objects.current()
        .exclude(boundary__isnull=True)
        .values_list("pk", "boundary", "boundary_display")
    )
    ids, shapes, area_depths, simplified = [], [], [], []
    for pk, exact, display in rows:
        geometry = boundary_shape(display or exact)
        if geometry is None:
            continue
        ids.append(pk)
        shapes.append(geometry)
        area_depths.append(tree.depth(pk))
        simplified.append(bool(display) and display != exact)
    return _Index(
        area_ids=ids,
        depths=area_depths,
        shapes=shapes,
        prepared=[prep(geometry) for geometry in shapes],
        simplified=simplified,
        tree=STRtree(shapes) if shapes else None,
        points={
            pk: geometry.representative_point().coords[0]
            for pk, geometry in zip(ids, shapes, strict=True)
        },
        bounds={pk: geometry.bounds for pk, geometry in zip(ids, shapes, strict=True)},
    )


def _current_index():
    return area_cache.get("lookup", _build)


def _exact_shape(index, pk):
    if pk not in index.exact:
        boundary = Area.objects.filter(pk=pk).values_list("boundary", flat=True).first()
        index.exact[pk] = boundary_shape(boundary)
    return index.exact[pk]


def _covers(index, position, point):
    """Whether area `position` of the index covers the point: by its display copy, or — within
    twice the simplification tolerance of its border — by the exact boundary."""
    if index.simplified[position]:
        near_border = (
            index.shapes[position].boundary.distance(point) <= 2 * DISPLAY_TOLERANCE_DEGREES
        )
        if near_border:
            exact = _exact_shape(index, index.area_ids[position])
            return exact is not None and exact.covers(point)
    return index.prepared[position].covers(point)


def area_id_for_point(lng, lat):
    """Id of the deepest current area containing (lng, lat) — boundary included — or None.

    Decided on the simplified display copies, and on the exact boundary for points within
    about 2 m of a simplified border (one query for that area's exact boundary, kept then)."""
    return _area_id_in(_current_index(), lng, lat)


def area_ids_for_points(points):
    """{(lng, lat): deepest current area id or None} for many points, with one version query
    for all of them (the address suggestions)."""
    index = _current_index()
    return {point: _area_id_in(index, *point) for point in points}


def _area_id_in(index, lng, lat):
    if index.tree is None:
        return None
    point = Point(float(lng), float(lat))
    margin = 2 * DISPLAY_TOLERANCE_DEGREES
    near = box(point.x - margin, point.y - margin, point.x + margin, point.y + margin)
    best, best_depth = None, -1
    for position in index.tree.query(near):
        if index.depths[position] > best_depth and _covers(index, position, point):
            best, best_depth = index.area_ids[position], index.depths[position]
    return best


def area_for_point(lng, lat):
    """The deepest current Area containing the point, or None when it lies outside every area."""
    area_id = area_id_for_point(lng, lat)
    return Area.objects.get(pk=area_id) if area_id else None


def area_for_geojson_point(point):
    """Same for a GeoJSON Point dict ({"type": "Point", "coordinates": [lng, lat]})."""
    position = point_lng_lat(point)
    return area_for_point(*position) if position else None


def representative_points():
    """{area id: (lng, lat)} for every current area with a boundary: a point inside the area,
    computed once per version of the area tree."""
    return _current_index().points


def areas_bounds(area_ids=None):
    """(min_lng, min_lat, max_lng, max_lat) around the given current areas (all current areas
    when None), or None when none of them has a boundary."""
    bounds = _current_index().bounds
    return merge_boxes(
        bounds[pk] for pk in (bounds if area_ids is None else area_ids) if pk in bounds
    )


def current_areas_bounds():
    """{area id: (min_lng, min_lat, max_lng, max_lat)} of the current areas with a boundary."""
    return dict(_current_index().bounds)


def reset_cache():
    """Forget this process's area tree and index (tests; the version does it otherwise)."""
    area_cache.reset()
