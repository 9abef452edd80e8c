"""The one geometry toolkit: GeoJSON boundaries and points, boxes and distances.

The admin forms, the import command, the split service and every other app's forms, models and
services use these functions, so a boundary or a point is judged the same way wherever it comes
in. Boundaries are GeoJSON Polygon or MultiPolygon geometries, points GeoJSON Points, both in
WGS84 longitude/latitude.

- JSON: `load_json` (size and nesting limits checked before parsing; never a RecursionError).
- Boundaries: `clean_boundary`, `validate_area_boundary`, `check_within`, `check_no_overlap`,
  `boundary_shape`, `vertex_count`, `display_boundary` (the simplified copy for maps/lookups).
- Points: `parse_point` (→ (lng, lat)), `clean_point` (→ a normalised GeoJSON Point dict or
  None), `validate_point` (the model-field validator for every stored point), `point_lng_lat`
  (read a stored point, never raises), and the form field `neighbourhoods.forms.PointField`.
- Boxes and distances: `distance_m` (haversine), `box_around(lng, lat, metres)`, `merge_boxes`.
"""

import json
import math
import re
from itertools import accumulate

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

# A child may stick out of its parent, and siblings may overlap, by this share of their area
# (rounding, digitising); shared edges never count as overlap.
AREA_TOLERANCE = 0.005
EDGE_TOLERANCE_DEGREES = 1e-6

BOUNDARY_TYPES = ("Polygon", "MultiPolygon")

# Parsing limits, checked before json.loads: GeoJSON needs a nesting depth of at most 7
# (FeatureCollection → features → Feature → geometry → MultiPolygon rings → position).
MAX_JSON_DEPTH = 20
POINT_MAX_CHARS = 1_000
GEOMETRY_MAX_CHARS = 20_000_000
# The display/lookup copy of a boundary is simplified with this tolerance (about 1 m).
DISPLAY_TOLERANCE_DEGREES = 1e-5
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180  # along a meridian (and the equator)

POINT_INVALID_MESSAGE = gettext_lazy(
    "Der Ort ist ungültig. Bitte klicken Sie noch einmal auf die Karte "
    "(erwartet wird ein Punkt mit Längengrad zwischen -180 und 180 und Breitengrad zwischen "
    "-90 und 90)."
)

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


def nesting_depth(text):
    """The deepest nesting of [ and { in a JSON text (brackets inside strings not counted)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    steps = {"[": 1, "{": 1, "]": -1, "}": -1}
    brackets = re.sub(r"[^\[\]{}]", "", text)
    return max(accumulate(steps[char] for char in brackets), default=0)


def load_json(value, *, max_chars=GEOMETRY_MAX_CHARS, max_depth=MAX_JSON_DEPTH):
    """A dict from a JSON string or a dict; ValidationError with a German message otherwise.

    The text's length and nesting depth are checked before it is parsed, so no input can make
    the parser recurse deeply or run long.
    """
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Bitte eine Geometrie im GeoJSON-Format angeben."), code="empty")
    if len(value) > max_chars:
        raise ValidationError(
            _("Das JSON ist zu lang (höchstens %(max)s Zeichen).")
            % {"max": f"{max_chars:,}".replace(",", ".")},
            code="too_long",
        )
    too_deep = _("Das JSON ist zu tief verschachtelt (höchstens %(max)s Ebenen).") % {
        "max": max_depth
    }
    if nesting_depth(value) > max_depth:
        raise ValidationError(too_deep, code="depth")
    try:
        data = json.loads(value)
    except RecursionError as error:  # the depth check above should make this unreachable
        raise ValidationError(too_deep, code="depth") from error
    except ValueError as error:
        raise ValidationError(
            _("Das ist kein gültiges JSON: %(error)s") % {"error": str(error)[:120]},
            code="json",
        ) from error
    if has_lone_surrogate(value, data):
        raise ValidationError(
            _("Das ist kein gültiges JSON: %(error)s") % {"error": LONE_SURROGATE},
            code="json",
        )
    if not isinstance(data, dict):
        raise ValidationError(_("Erwartet wird ein GeoJSON-Objekt."), code="type")
    return data


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
LONE_SURROGATE = "lone surrogate \\ud800–\\udfff"


def has_lone_surrogate(text, data):
    """Whether JSON `text`, parsed as `data`, holds an escaped lone surrogate ("\\ud800"): it
    parses, but no page, file or database text could hold it later (a 500 when shown)."""
    if not _ESCAPED_SURROGATE.search(text):
        return False
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


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


def max_vertices():
    """The most corner points a boundary may have (setting AREA_MAX_VERTICES)."""
    return int(getattr(settings, "AREA_MAX_VERTICES", 50_000))


def vertex_count(polygons):
    """Positions in a list of polygons (each a list of rings); 0 for malformed parts."""
    return sum(
        len(ring)
        for polygon in polygons
        if isinstance(polygon, list)
        for ring in polygon
        if isinstance(ring, list)
    )


def _check_vertex_count(polygons):
    count, limit = vertex_count(polygons), max_vertices()
    if count > limit:
        raise ValidationError(
            _(
                "Die Grenze hat %(count)s Eckpunkte; erlaubt sind höchstens %(limit)s. Bitte "
                "die Grenze vorher vereinfachen, z. B. in QGIS mit „Vereinfachen“ (Toleranz "
                "etwa 1 m) oder mit ogr2ogr -simplify 0.00001."
            )
            % {"count": f"{count:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")},
            code="too_many_vertices",
        )


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
        polygons = [coordinates]
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(
                _("Ein MultiPolygon braucht mindestens ein Polygon."), code="rings"
            )
        polygons = coordinates
    _check_vertex_count(polygons)
    for polygon in polygons:
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


def display_boundary(boundary):
    """The copy of a clean boundary that maps show and the point lookup indexes: simplified
    with a tolerance of about 1 m (topology preserved, still a valid area), so a boundary
    digitised with 40,000 points becomes a few hundred. The exact boundary stays the one that
    decides for points close to the border (`lookup.area_id_for_point`). Returns the boundary
    itself when simplifying gains nothing or would not give a valid area."""
    geometry = boundary_shape(boundary)
    if geometry is None:
        return None
    simplified = geometry.simplify(DISPLAY_TOLERANCE_DEGREES, preserve_topology=True)
    if (
        simplified.is_empty
        or not simplified.is_valid
        or simplified.geom_type not in BOUNDARY_TYPES
        or shapely.get_num_coordinates(simplified) >= shapely.get_num_coordinates(geometry)
    ):
        return boundary
    return {
        "type": simplified.geom_type,
        "coordinates": _as_lists(mapping(simplified)["coordinates"]),
    }


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


def _point_data(value):
    """The Point geometry dict in `value` (dict or JSON text; a Feature is unwrapped)."""
    data = load_json(value, max_chars=POINT_MAX_CHARS)
    if data.get("type") == "Feature":
        data = data.get("geometry") if isinstance(data.get("geometry"), dict) else {}
    if data.get("type") != "Point":
        raise ValidationError(_("Erwartet wird ein GeoJSON-Punkt."), code="type")
    coordinates = data.get("coordinates")
    if isinstance(coordinates, list | tuple) and len(coordinates) > 3:
        raise ValidationError(
            _("Jede Koordinate muss aus zwei Zahlen bestehen: [Längengrad, Breitengrad]."),
            code="position",
        )
    _check_position(coordinates)
    return data


def parse_point(value):
    """(lng, lat) from a GeoJSON Point (dict or JSON string); ValidationError otherwise.

    The one point parser: a Point (or a Feature holding one) with two finite numbers (an
    optional third, the altitude, is ignored) in the WGS84 range. The message says what is
    wrong (German); forms show the friendlier `POINT_INVALID_MESSAGE` (see `PointField`).
    """
    coordinates = _point_data(value)["coordinates"]
    return float(coordinates[0]), float(coordinates[1])


def point_geojson(lng, lat):
    """The stored form of a point: a GeoJSON Point rounded to 6 decimals (about 0.1 m)."""
    return {"type": "Point", "coordinates": [round(float(lng), 6), round(float(lat), 6)]}


def clean_point(value):
    """A normalised GeoJSON Point dict, or None for an empty value; ValidationError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return point_geojson(*parse_point(value))


def validate_point(value):
    """Model-field validator for every stored point (a JSONField holding a GeoJSON Point)."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or point_lng_lat(value) is None:
        raise ValidationError(POINT_INVALID_MESSAGE, code="invalid_point")


def point_lng_lat(value):
    """(lng, lat) of a stored point, or None when there is none or it is unusable. For reads
    of data that was validated when it was written; never raises."""
    if not value:
        return None
    try:
        return parse_point(value)
    except ValidationError:
        return None


def distance_m(lng1, lat1, lng2, lat2):
    """Distance in metres on the sphere (haversine), good to a few metres in a city."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box_around(lng, lat, metres):
    """(min_lng, min_lat, max_lng, max_lat) of a box reaching at least `metres` from the point
    in every direction: a cheap prefilter before `distance_m`."""
    metres *= 1.001  # a hair more, so rounding never cuts off a point at exactly `metres`
    d_lat = metres / METRES_PER_DEGREE
    d_lng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return (lng - d_lng, lat - d_lat, lng + d_lng, lat + d_lat)


def merge_boxes(boxes):
    """The box around all given (min_lng, min_lat, max_lng, max_lat) boxes, or None."""
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def area_m2(geometry):
    """The area of a shapely geometry in WGS84 degrees, in square metres (equirectangular at
    its centre: exact enough for a city's areas)."""
    if geometry is None or geometry.is_empty:
        return 0.0
    latitude = geometry.centroid.y
    return geometry.area * METRES_PER_DEGREE**2 * math.cos(math.radians(latitude))
