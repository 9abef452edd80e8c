"""What open data plugs in; called once from `ParticipationConfig.ready()`."""

from quartier.jobs import Every, periodic

from .downloads import build_if_changed


def register():
    # The downloads: rebuilt only when their data changed, at most every
    # OPEN_DATA_BUILD_SECONDS (downloads.py); the tick only asks.
    periodic("opendata-refresh", Every(300), build_if_changed)
