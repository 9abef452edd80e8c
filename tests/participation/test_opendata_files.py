"""The open-data downloads as files built in the background (participation/opendata/downloads):
conditional requests, rebuilding only after a change, atomic replacement, the first build."""

import os
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import http_date

from participation.ideas.models import IdeaStatus
from participation.ideas.services import support_add
from participation.opendata import downloads
from tests.factories import make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db
CSV_URL = reverse("participation:opendata-ideas-csv")
GEOJSON_URL = reverse("participation:opendata-ideas-geojson")


@pytest.fixture
def north():
    north, _south = two_areas()
    make_idea(north, title="Trinkbrunnen")
    return north


def content(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_conditional_requests_get_304_without_the_file(client, north, url):
    first = client.get(url)
    assert "Trinkbrunnen" in content(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert first["Cache-Control"] == "public, max-age=300"
    assert int(first["Content-Length"]) > 0

    same = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304
    assert same["ETag"] == etag and not same.content
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"x", {etag}').status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200
    for broken in ("gestern", "\x00", "9" * 500, "Mon, 32 Foo 99999 99:99:99 GMT"):
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=broken).status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=broken).status_code == 200


def test_rebuilt_only_after_a_change_and_not_too_often(client, north, settings):
    assert downloads.build_if_changed() == "built"
    etag = client.get(CSV_URL)["ETag"]
    assert downloads.build_if_changed() == "unchanged"
    make_idea(north, title="Wartet noch", status=IdeaStatus.PENDING)  # not exported
    assert downloads.build_if_changed() == "unchanged"

    make_idea(north, title="Neue Bank")
    assert downloads.build_if_changed() == "waiting"  # built less than 300 s ago
    assert "Neue Bank" not in content(client.get(CSV_URL))
    settings.OPEN_DATA_BUILD_SECONDS = 0
    assert downloads.build_if_changed() == "built"
    response = client.get(CSV_URL, HTTP_IF_NONE_MATCH=etag)
    assert "Neue Bank" in content(response)
    assert response["ETag"] != etag


def test_counters_and_hiding_change_the_fingerprint(north):
    idea = make_idea(north, title="Zweite")
    before = downloads.fingerprint()
    support_add(idea=idea, user=make_user())  # a counter, without updated_at
    after_support = downloads.fingerprint()
    assert after_support != before
    type(idea).objects.filter(pk=idea.pk).update(is_hidden=True)  # as the flag threshold does
    assert downloads.fingerprint() != after_support


def test_same_content_keeps_the_file_and_its_etag(client, north):
    first = client.get(GEOJSON_URL)
    stat = os.stat(downloads.folder() / "ideen.geojson")
    assert downloads.build(force=True) == []  # nothing new in either file
    assert os.stat(downloads.folder() / "ideen.geojson").st_mtime_ns == stat.st_mtime_ns
    assert client.get(GEOJSON_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_build_that_fails_leaves_the_old_file_and_no_temporary_one(north, monkeypatch):
    downloads.build()
    path = downloads.folder() / "ideen.csv"
    old = path.read_bytes()
    make_idea(north, title="Dritte")

    def broken(stream):
        stream.write("halb")
        raise RuntimeError("disk full")

    monkeypatch.setitem(downloads.FILES, "ideen.csv", ("text/csv; charset=utf-8", broken))
    with pytest.raises(RuntimeError):
        downloads.build()
    assert path.read_bytes() == old
    assert sorted(p.name for p in downloads.folder().iterdir()) == [
        "build.json",
        "ideen.csv",
        "ideen.geojson",
    ]
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_the_first_download_builds_once_and_others_wait_meanwhile(client, north):
    assert not (downloads.folder() / "ideen.csv").exists()
    cache.add(downloads.LOCK_KEY, 1, 60)  # someone else is building right now
    busy = client.get(CSV_URL)
    assert busy.status_code == 503
    assert busy["Retry-After"] == str(downloads.RETRY_AFTER)
    cache.delete(downloads.LOCK_KEY)
    assert "Trinkbrunnen" in content(client.get(CSV_URL))
    assert (downloads.folder() / "ideen.geojson").exists()  # both built in one go
    assert cache.get(downloads.LOCK_KEY) is None


def test_a_folder_that_cannot_be_written_gives_503_not_500(client, north, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings.OPEN_DATA_DIR = str(blocker / "opendata")  # below a file: cannot be created
    response = client.get(CSV_URL)
    assert response.status_code == 503


def test_the_command_builds_when_needed(north):
    out = StringIO()
    call_command("build_opendata", stdout=out)
    assert out.getvalue().strip() == "built"
    out = StringIO()
    call_command("build_opendata", stdout=out)
    assert out.getvalue().strip() == "unchanged"
    out = StringIO()
    call_command("build_opendata", "--force", stdout=out)
    assert out.getvalue().strip() == "built; changed: nothing"


def test_post_and_other_methods_are_refused(client, north):
    assert client.post(CSV_URL).status_code in (403, 405)
    assert client.put(GEOJSON_URL).status_code in (403, 405)


def test_with_many_ideas_no_request_builds_the_first_file(client, north, monkeypatch):
    """A big build takes longer than a worker may: 503 until the scheduler built the files."""
    monkeypatch.setattr(downloads, "REQUEST_BUILD_LIMIT", 0)
    response = client.get(GEOJSON_URL)
    assert response.status_code == 503 and response["Retry-After"]
    assert not downloads.folder().exists()
    call_command("build_opendata", stdout=StringIO())
    assert "Trinkbrunnen" in content(client.get(GEOJSON_URL))


def test_a_build_removes_what_a_killed_build_left_behind(north):
    downloads.build()
    abandoned = downloads.folder() / ".ideen.csv.abc123"
    abandoned.write_text("halb")
    recent = downloads.folder() / ".ideen.geojson.def456"
    recent.write_text("läuft noch")
    old = abandoned.stat().st_mtime - downloads.LOCK_SECONDS - 60
    os.utime(abandoned, (old, old))
    downloads.build(force=True)
    assert not abandoned.exists()
    assert recent.exists()  # perhaps a build running right now
