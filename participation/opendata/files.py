"""The open-data downloads as files, refreshed by the worker (periodic job `opendata-refresh`).

Building `ideen.csv` and `ideen.geojson` reads every public idea — seconds and megabytes at
100,000 ideas — so a periodic job builds them once an hour into the media storage (local or
S3), and the download views serve the stored file; until the first run (or without a worker)
they build the file on each request, as before.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "offene-daten"


def _path(name):
    return f"{FOLDER}/{name}"


def stored(name):
    """The stored file `name`, open for reading, or None."""
    try:
        return default_storage.open(_path(name), "rb")
    except (FileNotFoundError, OSError):
        return None


def refresh_open_data():
    """Build both downloads and replace the stored ones."""
    from .views import ideas_csv_body, ideas_geojson_body

    for name, build in (("ideen.csv", ideas_csv_body), ("ideen.geojson", ideas_geojson_body)):
        content = ContentFile(build().encode("utf-8"))
        default_storage.delete(_path(name))  # the storages never overwrite; meanwhile: built live
        default_storage.save(_path(name), content)
