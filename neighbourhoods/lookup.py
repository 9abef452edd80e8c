"""Point → area: the deepest current area whose boundary contains a point.

The geometry index (shapely shapes in an STRtree) is built once per process and rebuilt only
when `AreaTreeVersion` in the database says an area changed: every worker notices, at the
cost of one tiny query per lookup. The same index holds each area's representative point (a
point surely inside it, where maps put an area's marker).
"""

import threading
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from .models import Area, AreaTreeVersion


@dataclass
class _Index:
    version: int
    area_ids: list
    depths: list
    shapes: list
    prepared: list
    tree: STRtree | None
    points: dict  # area id → (lng, lat) of shapely's representative_point()
    bounds: dict  # area id → (min_lng, min_lat, max_lng, max_lat)


_lock = threading.Lock()
_index: _Index | None = None


def _depths(areas):
    parents = {area.pk: area.parent_id for area in areas}
    depths = {}
    for pk in parents:
        depth, seen, node = 0, set(), parents.get(pk)
        while node is not None and node not in seen:
            seen.add(node)
            depth += 1
            node = parents.get(node)
        depths[pk] = depth
    return depths


def _build(version):
    areas = list(
        Area.objects.current().exclude(boundary__isnull=True).only("pk", "parent_id", "boundary")
    )
    all_parents = list(Area.objects.only("pk", "parent_id"))
    depths = _depths(all_parents)
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
        area_depths.append(depths.get(area.pk, 0))
    return _Index(
        version=version,
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
    global _index
    version = AreaTreeVersion.current()
    index = _index
    if index is None or index.version != version:
        with _lock:
            if _index is None or _index.version != version:
                _index = _build(version)
            index = _index
    return index


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
    lng, lat = point["coordinates"][:2]
    return area_for_point(lng, lat)


def representative_points():
    """{area id: (lng, lat)} for every current area with a boundary: a point inside the area,
    computed once per version of the area tree."""
    return _current_index().points


def areas_bounds(area_ids=None):
    """(min_lng, min_lat, max_lng, max_lat) around the given current areas (all current areas
    when None), or None when none of them has a boundary."""
    bounds = _current_index().bounds
    boxes = [bounds[pk] for pk in (bounds if area_ids is None else area_ids) if pk in bounds]
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def reset_cache():
    global _index
    with _lock:
        _index = None
