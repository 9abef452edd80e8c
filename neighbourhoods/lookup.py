"""Point → area: the deepest current area whose boundary contains a point.

The geometry index (shapely shapes in an STRtree) is built once per process beside the area tree
(`selectors.area_tree`, the same cache) and rebuilt only when `AreaTreeVersion` in the database
says an area changed (or the day changed): every worker notices, at the cost of one tiny query
per lookup. The same index holds each area's representative point (a
point surely inside it, where maps put an area's marker).
"""

from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from .geometry import merge_boxes, point_lng_lat
from .models import Area
from .selectors import area_cache, area_tree


@dataclass
class _Index:
    area_ids: list
    depths: list
    shapes: list
    prepared: list
    tree: STRtree | None
    points: dict  # area id → (lng, lat) of shapely's representative_point()
    bounds: dict  # area id → (min_lng, min_lat, max_lng, max_lat)


def _build(key):
    tree = area_tree(key=key)
    areas = list(
        Area.objects.current().exclude(boundary__isnull=True).only("pk", "parent_id", "boundary")
    )
    ids, shapes, area_depths = [], [], []
    for area in areas:
        try:
            geometry = shape(area.boundary)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if geometry.is_empty:
            continue
        ids.append(area.pk)
        shapes.append(geometry)
        area_depths.append(tree.depth(area.pk))
    return _Index(
        area_ids=ids,
        depths=area_depths,
        shapes=shapes,
        prepared=[prep(geometry) for geometry in shapes],
        tree=STRtree(shapes) if shapes else None,
        points={
            pk: geometry.representative_point().coords[0]
            for pk, geometry in zip(ids, shapes, strict=True)
        },
        bounds={pk: geometry.bounds for pk, geometry in zip(ids, shapes, strict=True)},
    )


def _current_index():
    return area_cache.get("lookup", _build)


def area_id_for_point(lng, lat):
    """Id of the deepest current area containing (lng, lat) — boundary included — or None."""
    index = _current_index()
    if index.tree is None:
        return None
    point = Point(float(lng), float(lat))
    best, best_depth = None, -1
    for position in index.tree.query(point):
        if index.prepared[position].covers(point) and index.depths[position] > best_depth:
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


def reset_cache():
    """Forget this process's area tree and index (tests; the version does it otherwise)."""
    area_cache.reset()
