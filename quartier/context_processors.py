from django.conf import settings

from quartier.origins import origin_of


def map_config(request):
    """The map configuration for maps.js. The tile origin is derived from MAP_TILES_URL on each
    request, and tiles on the portal's own origin (relative, or the same host) need no consent."""
    origin = origin_of(settings.MAP_TILES_URL)
    own_origin = origin_of(request.build_absolute_uri("/")) if request else ""
    foreign = bool(origin) and origin != own_origin
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "tilesOrigin": origin if foreign else "",
        "needsConsent": foreign,
        "center": list(settings.MAP_CENTER),
        "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
    }


def portal(request):
    """What every page needs: the city's name and the map configuration."""
    return {"CITY_NAME": settings.CITY_NAME, "MAP_CONFIG": map_config(request)}
