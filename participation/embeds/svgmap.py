"""The area map widget's picture: the area's outline and its located contributions drawn as
SVG on the server (no script, no tiles, nothing loaded from elsewhere)."""

import math

WIDTH = 400
PAD = 12


def _rings(geometry):
    if not geometry:
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def area_svg(boundary, points):
    """{"width", "height", "paths": [d, …], "dots": [("x", "y", colour), …]} for an outline
    (GeoJSON Polygon/MultiPolygon) and `points` [(lon, lat, colour)]; None without an
    outline. The picture is one image (no links inside): the portal's map is a link away."""
    rings = _rings(boundary)
    coordinates = [point for ring in rings for point in ring]
    if not coordinates:
        return None
    west = min(lon for lon, _lat, *_ in coordinates)
    east = max(lon for lon, _lat, *_ in coordinates)
    south = min(lat for _lon, lat, *_ in coordinates)
    north = max(lat for _lon, lat, *_ in coordinates)
    shrink = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * shrink, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (WIDTH - 2 * PAD) / span_x
    height = min(round(span_y * scale) + 2 * PAD, WIDTH * 2)
    scale = min(scale, (height - 2 * PAD) / span_y)

    def project(lon, lat):
        return round(PAD + (lon - west) * shrink * scale, 1), round(PAD + (north - lat) * scale, 1)

    paths = []
    for ring in rings:
        steps = [project(lon, lat) for lon, lat, *_ in ring]
        paths.append("M" + " L".join(f"{x} {y}" for x, y in steps) + " Z")
    dots = []
    for lon, lat, colour in points:
        if west <= lon <= east and south <= lat <= north:
            x, y = project(lon, lat)
            dots.append((str(x), str(y), colour))  # as text: a template would localise "1,5"
    return {"width": WIDTH, "height": height, "paths": paths, "dots": dots}
