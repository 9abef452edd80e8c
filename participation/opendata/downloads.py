"""The open-data downloads `ideen.csv` and `ideen.geojson`: built in the background, served as
files.

Building them reads and serialises every public idea — 20–30 s at 30,000 ideas on a busy
machine — so no request builds them (except the very first, see below). Instead:

- `build_if_changed()` is what the scheduler runs every few minutes (`manage.py
  build_opendata`; a plain function without arguments, so the task queue can run it as
  periodic work). It rebuilds only when the exported data changed since the last build — the
  "dirty" check is `fingerprint()`, a handful of aggregate queries (milliseconds) — and not
  more often than every `OPEN_DATA_BUILD_SECONDS` (300).
- `build()` writes each file into a temporary file in the same folder, flushes it to disk and
  renames it over the old one (`os.replace`, atomic): a download gets either the old or the new
  file, never half of one. A file whose content did not change is left as it was, so its
  `ETag` and `Last-Modified` stay. A small manifest (`build.json`) records the fingerprint.
- `serve()` answers with the file itself (`FileResponse`, streamed in blocks, no query), with
  an `ETag` and `Last-Modified` taken from the opened file, and 304 for `If-None-Match` /
  `If-Modified-Since`.

The folder is `OPEN_DATA_DIR` (default `MEDIA_ROOT/opendata`): with several machines it must
be shared, like the media.

No file yet (the first download after installing): with few public ideas (up to
`REQUEST_BUILD_LIMIT`, a second or two of work) the request that gets the build lock (in the
shared cache, so one in the whole installation) builds both files once and serves them, so a
small portal (the demo) works without a scheduler. Otherwise — or while another request builds —
the answer is 503 with `Retry-After` until the scheduler has built them (run
`manage.py build_opendata` once when deploying): a build of tens of thousands of ideas takes
longer than gunicorn's worker timeout, and must never tie up a worker. Either way no request
builds again once a file exists, so downloads cannot be used to keep workers busy.
"""

import contextlib
import csv
import hashlib
import json
import logging
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from neighbourhoods.models import Area, area_geometry
from participation.ideas.models import Answer, Idea
from participation.topics.models import Topic
from quartier import safejson
from quartier.mail import absolute_url
from quartier.spreadsheets import spreadsheet_safe

logger = logging.getLogger(__name__)

MANIFEST = "build.json"
LOCK_KEY = "quartier:opendata:build"
LOCK_SECONDS = 15 * 60  # a build by the scheduler
REQUEST_LOCK_SECONDS = 60  # the first build in a request (small data only)
REQUEST_BUILD_LIMIT = 5000  # public ideas: more, and no request builds the files
RETRY_AFTER = 30
CHUNK = 2000

EXPORT_FIELDS = [
    "id",
    "url",
    "art",
    "art_name",
    "titel",
    "beschreibung",
    "thema",
    "gebiet",
    "gebiet_kurzname",
    "stand",
    "stand_name",
    "letzte_antwort",
    "doppelt_zu",
    "unterstuetzungen",
    "kommentare",
    "laengengrad",
    "breitengrad",
    "eingereicht_am",
    "veroeffentlicht_am",
    "geaendert_am",
]


def folder():
    return Path(getattr(settings, "OPEN_DATA_DIR", "") or Path(settings.MEDIA_ROOT) / "opendata")


# --- the data ---------------------------------------------------------------------------------


def export_rows():
    """Public ideas with their latest answer, in id order; one query (read in chunks)."""
    latest_answer = Answer.objects.filter(idea=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Idea.objects.public()
        .select_related("topic", "area")
        .defer(*area_geometry("area"))
        .annotate(latest_answer=Subquery(latest_answer.values("text")[:1]))
        .order_by("pk")
    )


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def record(idea, *, url_prefix, kind_labels, status_labels):
    located = idea.lng is not None and idea.lat is not None
    return {
        "id": idea.pk,
        "url": f"{url_prefix}{idea.pk}/",
        "art": idea.kind,
        "art_name": kind_labels.get(idea.kind, idea.kind),
        "titel": idea.title,
        "beschreibung": idea.text,
        "thema": idea.topic.name,
        "gebiet": idea.area.name,
        "gebiet_kurzname": idea.area.slug,
        "stand": idea.status,
        "stand_name": status_labels.get(idea.status, idea.status),
        "letzte_antwort": idea.latest_answer or "",
        "doppelt_zu": idea.duplicate_of_id or "",
        "unterstuetzungen": idea.support_count,
        "kommentare": idea.comment_count,
        "laengengrad": idea.lng if located else "",
        "breitengrad": idea.lat if located else "",
        "eingereicht_am": _iso(idea.created_at),
        "veroeffentlicht_am": _iso(idea.published_at),
        "geaendert_am": _iso(idea.updated_at),
    }


def records():
    """(idea, record) for every public idea, computed without a query per idea."""
    from django.urls import reverse
    from django.utils import translation

    from participation.ideas.models import IdeaKind, IdeaStatus

    with translation.override(settings.LANGUAGE_CODE):
        url_prefix = absolute_url(reverse("participation:idea-detail", kwargs={"pk": 0}))[:-2]
        kind_labels = {value: str(label) for value, label in IdeaKind.choices}
        status_labels = {value: str(label) for value, label in IdeaStatus.choices}
    for idea in export_rows().iterator(chunk_size=CHUNK):
        yield (
            idea,
            record(
                idea, url_prefix=url_prefix, kind_labels=kind_labels, status_labels=status_labels
            ),
        )


def write_csv(stream):
    """UTF-8 with BOM (spreadsheets read umlauts), comma-separated, formula-safe cells."""
    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for _idea, row in records():
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})


def write_geojson(stream):
    """A FeatureCollection; <, > and & escaped (quartier.safejson), safe even where embedded."""

    def dump(value):
        return safejson.dumps(value, ensure_ascii=False)

    stream.write(
        '{"type": "FeatureCollection", '
        f'"licence": {dump(settings.OPEN_DATA_LICENCE)}, '
        f'"licence_url": {dump(settings.OPEN_DATA_LICENCE_URL)}, '
        '"features": ['
    )
    separator = ""
    for idea, row in records():
        longitude, latitude = row.pop("laengengrad"), row.pop("breitengrad")
        geometry = (
            None if longitude == "" else {"type": "Point", "coordinates": [longitude, latitude]}
        )
        feature = {"type": "Feature", "id": idea.pk, "geometry": geometry, "properties": row}
        stream.write(separator + dump(feature))
        separator = ", "
    stream.write("]}")


# name → (content type, writer)
FILES = {
    "ideen.csv": ("text/csv; charset=utf-8", write_csv),
    "ideen.geojson": ("application/geo+json; charset=utf-8", write_geojson),
}


def render(name, sink=None):
    """The file's content (as text) built right now, as every download did before; for the
    benchmark and tests. With `sink`, written there instead."""
    import io

    buffer = sink if sink is not None else io.StringIO()
    FILES[name][1](buffer)
    return None if sink is not None else buffer.getvalue()


# --- the dirty check --------------------------------------------------------------------------


def fingerprint():
    """A digest of everything the files show; it changes whenever a download would. A few
    aggregate queries (no rows are read into Python):

    - public ideas: how many, which (sums of ids), their last change (`updated_at`), and their
      counters weighted by id (supports and comments change without `updated_at`);
    - answers (never edited): how many, the newest;
    - areas (their last change) and topics (names), the settings printed into the files.
    """
    ideas = Idea.objects.public().aggregate(
        count=Count("pk"),
        ids=Sum("pk"),
        ids_squared=Sum(F("pk") * F("pk")),
        changed=Max("updated_at"),
        supports=Sum(F("pk") * F("support_count")),
        comments=Sum(F("pk") * F("comment_count")),
    )
    answers = Answer.objects.aggregate(count=Count("pk"), newest=Max("pk"))
    areas = Area.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    topics = list(Topic.objects.order_by("pk").values_list("pk", "name"))
    text = json.dumps(
        [
            ideas,
            answers,
            areas,
            topics,
            settings.SITE_URL,
            settings.OPEN_DATA_LICENCE,
            settings.OPEN_DATA_LICENCE_URL,
            settings.LANGUAGE_CODE,
        ],
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


# --- building ---------------------------------------------------------------------------------


def read_manifest():
    try:
        return json.loads((folder() / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _replace_atomically(target, write):
    """Write through `write(stream)` into a temporary file beside `target`, then rename it over
    `target`. Returns the new content's sha256, or None when it equals the old one (the old
    file, and with it its ETag, stays)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        digest = _sha256(Path(temporary))
        if target.exists() and _sha256(target) == digest:
            os.unlink(temporary)
            return None
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the files are public
        os.replace(temporary, target)
        return digest
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(*, force=False):
    """Build both files (when the data changed since the last build, or with `force`).
    Returns the names of the files whose content changed."""
    current = fingerprint()
    if not force and read_manifest().get("fingerprint") == current and _all_files_exist():
        return []
    _remove_abandoned_temporary_files()
    changed = [name for name, (_type, write) in FILES.items() if _replace(name, write)]
    manifest = {"fingerprint": current, "built_at": timezone.now().isoformat()}
    _replace_atomically(folder() / MANIFEST, lambda stream: json.dump(manifest, stream))
    return changed


def _remove_abandoned_temporary_files():
    """Temporary files of a build that was killed midway (a worker timeout, a restart)."""
    if not folder().is_dir():
        return
    for path in folder().glob(".*"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > LOCK_SECONDS:
                path.unlink()


def _replace(name, write):
    return _replace_atomically(folder() / name, write) is not None


def _all_files_exist():
    return all((folder() / name).exists() for name in FILES)


def build_if_changed():
    """What the scheduler runs: rebuild when the data changed, at most every
    OPEN_DATA_BUILD_SECONDS, and never twice at once (a lock in the shared cache).
    Returns "built", "unchanged", "waiting" (changed, but built too recently) or "busy"."""
    manifest = read_manifest()
    if manifest.get("fingerprint") == fingerprint() and _all_files_exist():
        return "unchanged"
    built_at = manifest.get("built_at")
    if built_at and _all_files_exist():
        age = (timezone.now() - datetime.fromisoformat(built_at)).total_seconds()
        if 0 <= age < settings.OPEN_DATA_BUILD_SECONDS:
            return "waiting"
    if not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        return "busy"
    try:
        build()
    finally:
        cache.delete(LOCK_KEY)
    return "built"


# --- serving ----------------------------------------------------------------------------------


def _unavailable():
    response = HttpResponse(
        "Die Datei wird gerade erstellt. Bitte versuchen Sie es gleich noch einmal.\n"
        "The file is being built. Please try again shortly.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _open(name):
    """The built file, opened; built first if there is none yet and the data is small (see
    the module's docstring). None when the scheduler must build it, or another request does."""
    path = folder() / name
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    if Idea.objects.public().count() > REQUEST_BUILD_LIMIT:
        return None  # too big to build in a request: the scheduler builds it
    if not cache.add(LOCK_KEY, 1, REQUEST_LOCK_SECONDS):
        return None
    started = time.monotonic()
    try:
        if not path.exists():  # built meanwhile by the one who held the lock before
            build(force=True)
            logger.info(
                "open data: first build in a request took %.1f s", time.monotonic() - started
            )
    finally:
        cache.delete(LOCK_KEY)
    return path.open("rb")


def serve(request, name):
    content_type = FILES[name][0]
    try:
        handle = _open(name)
    except OSError:
        logger.exception("open data: cannot build or read %s", name)
        return _unavailable()
    if handle is None:
        return _unavailable()
    stat = os.fstat(handle.fileno())
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'  # of the very file being sent
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "public, max-age=300"
    answer = get_conditional_response(
        request, etag=etag, last_modified=int(stat.st_mtime), response=response
    )
    if answer is not response:  # 304 (or 412): the file is not sent
        response.close()
    return answer
