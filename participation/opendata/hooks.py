"""What open data plugs in; called once from `ParticipationConfig.ready()`."""

from quartier.jobs import Every, periodic

from .files import refresh_open_data


def register():
    periodic("opendata-refresh", Every(3600), refresh_open_data)  # the downloads, hourly
