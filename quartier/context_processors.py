from django.conf import settings


def portal(request):
    """What every page needs: the city's name and the map configuration."""
    return {
        "CITY_NAME": settings.CITY_NAME,
        "MAP_CONFIG": {
            "tiles": settings.MAP_TILES_URL,
            "attribution": settings.MAP_ATTRIBUTION,
            "tilesOrigin": settings.MAP_TILES_ORIGIN,
            "needsConsent": bool(settings.MAP_TILES_ORIGIN),
            "center": list(settings.MAP_CENTER),
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        },
    }
