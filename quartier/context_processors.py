from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from quartier.origins import origin_of

# map_config by the portal's own origin (a handful: the hosts in ALLOWED_HOSTS); bounded all
# the same, as a development server may allow any host.
_map_configs = {}
MAX_MAP_CONFIGS = 64


@receiver(setting_changed)
def _forget(**kwargs):
    _map_configs.clear()


def _map_config(own_origin):
    origin = origin_of(settings.MAP_TILES_URL)
    foreign = bool(origin) and origin != own_origin
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "tilesOrigin": origin if foreign else "",
        "needsConsent": foreign,
        "center": list(settings.MAP_CENTER),
        "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
    }


def map_config(request):
    """The map configuration for maps.js. The tile origin is derived from MAP_TILES_URL on each
    request, and tiles on the portal's own origin (relative, or the same host) need no consent.
    A fresh dict each time (callers may change it); made once per origin and process."""
    root = request.build_absolute_uri("/") if request else ""
    config = _map_configs.get(root)
    if config is None:
        if len(_map_configs) >= MAX_MAP_CONFIGS:
            _map_configs.clear()
        config = _map_configs[root] = _map_config(origin_of(root))
    return {**config, "center": list(config["center"])}


def portal(request):
    """What every page needs: the city's name and the map configuration."""
    return {"CITY_NAME": settings.CITY_NAME, "MAP_CONFIG": map_config(request)}
