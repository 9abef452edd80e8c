"""The "Offene Daten" page and the CSV / GeoJSON downloads: contents, licence, formula
safety, nothing hidden or personal; built in the background and served as files with ETag /
Last-Modified and 304s; README lists the settings."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.ideas.models import Answer, IdeaStatus
from participation.opendata import downloads
from participation.opendata.downloads import EXPORT_FIELDS
from tests.factories import make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db
CSV_URL = reverse("participation:opendata-ideas-csv")
GEOJSON_URL = reverse("participation:opendata-ideas-geojson")


@pytest.fixture
def ideas():
    north, south = two_areas()
    author = make_user("heimlich", first_name="Heimlich", email="heimlich@secret.test")
    public = make_idea(north, title='=HYPERLINK("http://evil")', author=author)
    Answer.objects.create(
        idea=public,
        text="+Antwort",
        status_from="published",
        status_to="published",
        author_role="Quartiersmanagement",
    )
    make_idea(south, title="Ohne Ort", location=None, author_name="Privatname")
    make_idea(north, title="Wartet", status=IdeaStatus.PENDING)
    make_idea(north, title="Abgelehnt", status=IdeaStatus.REJECTED)
    make_idea(north, title="Versteckt", is_hidden=True)
    make_idea(north, title="Unbestätigt", confirmed_at=None)
    return north, public


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def read_csv(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_page_links_everything_with_licence(client, settings):
    settings.OPEN_DATA_LICENCE = "Testlizenz 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://example.com/lizenz"
    body = client.get(reverse("participation:opendata")).content.decode()
    assert "Testlizenz 1.0" in body and "https://example.com/lizenz" in body
    for name in ("opendata-ideas-csv", "opendata-ideas-geojson", "feed"):
        assert reverse(f"participation:{name}") in body
    assert reverse("neighbourhoods:areas-geojson") in body
    assert reverse("participation:open311-requests", kwargs={"fmt": "json"}) in body
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("participation:opendata")}"' in home


def test_csv_contents_are_public_safe_and_impersonal(client, ideas):
    _north, public = ideas
    response = client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0]) == EXPORT_FIELDS
    assert {row["titel"] for row in rows} == {'\'=HYPERLINK("http://evil")', "Ohne Ort"}
    row = next(row for row in rows if row["id"] == str(public.pk))
    assert row["letzte_antwort"] == "'+Antwort"
    assert row["gebiet"] == "Nordstadt"
    assert float(row["laengengrad"]) == pytest.approx(7.465)
    assert row["url"].startswith("http")
    text = body(client.get(CSV_URL)).decode()
    for personal in ("Heimlich", "secret.test", "Privatname", "Erika", "example.org"):
        assert personal not in text


def test_empty_csv_still_has_the_header(client):
    rows = body(client.get(CSV_URL)).decode("utf-8")
    assert rows.lstrip("\ufeff").startswith("id,url,art")


def test_geojson_contents(client, ideas):
    _north, public = ideas
    text = body(client.get(GEOJSON_URL)).decode()
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert data["licence"] == settings.OPEN_DATA_LICENCE
    by_title = {feature["properties"]["titel"]: feature for feature in data["features"]}
    assert set(by_title) == {'=HYPERLINK("http://evil")', "Ohne Ort"}
    assert by_title["Ohne Ort"]["geometry"] is None
    point = by_title['=HYPERLINK("http://evil")']["geometry"]
    assert point["type"] == "Point" and point["coordinates"] == pytest.approx([7.465, 51.515])
    for personal in ("Heimlich", "secret.test", "Privatname", "example.org"):
        assert personal not in text
    assert "<" not in text  # escaped for safe embedding


def test_a_download_runs_no_query_and_building_a_fixed_number(client, ideas):
    north, _public = ideas
    downloads.build()
    with CaptureQueriesContext(connection) as served:
        body(client.get(CSV_URL))
        body(client.get(GEOJSON_URL))
    assert len(served) == 0
    with CaptureQueriesContext(connection) as few:
        downloads.build(force=True)
    for number in range(30):
        make_idea(north, title=f"Mehr {number}")
    with CaptureQueriesContext(connection) as many:
        downloads.build(force=True)
    assert len(few) == len(many) <= 12


def test_readme_lists_the_open_data_settings():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    source = (Path(settings.BASE_DIR) / "quartier" / "settings.py").read_text()
    for name in ("OPEN_DATA_LICENCE", "OPEN_DATA_LICENCE_URL"):
        assert re.search(rf'environ\.get\(\s*"{name}"', source)
        assert f"`{name}`" in readme
