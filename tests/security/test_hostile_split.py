"""Hostile GeoJSON on the admin's split screen (`/verwaltung/neighbourhoods/area/<id>/aufteilen/`),
typed into the parts field or loaded from a file: each gets a clear German message on the page
(never a 500), no "Aufteilen" button, and saving — even with the fingerprint the preview
showed — writes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Area
from tests.factories import make_area, make_coordination, square

pytestmark = pytest.mark.django_db

WEST, SOUTH, SIZE = 7.4, 51.4, 0.1


def rect(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def collection(*geometries, properties=None):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"Teil {number}"} if properties is None else properties,
                "geometry": geometry,
            }
            for number, geometry in enumerate(geometries, start=1)
        ],
    }


def polygon(ring):
    return {"type": "Polygon", "coordinates": [ring]}


INSIDE = rect(7.41, 51.41, 7.45, 51.45)
BOW_TIE = polygon([[7.41, 51.41], [7.45, 51.45], [7.45, 51.41], [7.41, 51.45], [7.41, 51.41]])
CIRCLE = polygon(
    [[7.41 + 0.03 * (n % 2), 51.41 + 0.00001 * n] for n in range(200_000)] + [[7.41, 51.41]]
)


HOSTILE = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "zu tief verschachtelt"),
    "coordinates nested 12 deep": (
        json.dumps(collection({"type": "Polygon", "coordinates": [[[[[[[[[[[[7.4]]]]]]]]]]]]})),
        "zwei Zahlen",
    ),
    "200,000 corner points": (json.dumps(collection(CIRCLE)), "Eckpunkte"),
    "self-intersecting (bow tie)": (json.dumps(collection(BOW_TIE)), "überschneidet sich selbst"),
    "NaN": (
        json.dumps(collection(rect(7.41, 51.41, 7.45, 51.45))).replace("7.45", "NaN", 1),
        "zwei Zahlen",
    ),
    "Infinity": (
        json.dumps(collection(rect(7.41, 51.41, 7.45, 51.45))).replace("7.45", "Infinity", 1),
        "zwei Zahlen",
    ),
    "-Infinity": (
        json.dumps(collection(rect(7.41, 51.41, 7.45, 51.45))).replace("51.41", "-Infinity", 1),
        "zwei Zahlen",
    ),
    "1e999": (
        json.dumps(collection(rect(7.41, 51.41, 7.45, 51.45))).replace("7.45", "1e999", 1),
        "zwei Zahlen",
    ),
    "coordinates as strings": (
        json.dumps(collection(polygon([["7.41", "51.41"], ["7.45", "51.41"], ["7.45", "51.45"]]))),
        "zwei Zahlen",
    ),
    "coordinates as booleans and nulls": (
        json.dumps(collection(polygon([[True, None], [False, 1], [None, None], [True, None]]))),
        "zwei Zahlen",
    ),
    "coordinates an object": (
        json.dumps(collection({"type": "Polygon", "coordinates": {"a": 1}})),
        "mindestens einen Ring",
    ),
    "a point with three numbers and one with one": (
        json.dumps(
            collection(
                polygon([[7.41, 51.41, 3], [7.45], [7.45, 51.45], [7.41, 51.45], [7.41, 51.41]])
            )
        ),
        "zwei Zahlen",
    ),
    "a ring of two points": (
        json.dumps(collection(polygon([[7.41, 51.41], [7.45, 51.45]]))),
        "mindestens vier Koordinaten",
    ),
    "a line instead of an area": (
        json.dumps(collection({"type": "LineString", "coordinates": [[7.41, 51.41], [7.45, 51]]})),
        "nicht LineString",
    ),
    "a GeometryCollection": (
        json.dumps(collection({"type": "GeometryCollection", "geometries": [INSIDE]})),
        "nicht GeometryCollection",
    ),
    "type not a string": (
        json.dumps(collection({"type": ["Polygon"], "coordinates": []})),
        "Polygon oder -MultiPolygon",
    ),
    "properties a list, name a number": (
        json.dumps(collection(INSIDE, properties=[1, 2])),
        "Der Name fehlt",
    ),
    "features not a list": (
        json.dumps({"type": "FeatureCollection", "features": {}}),
        "keine GeoJSON-FeatureCollection",
    ),
    "a feature that is a string": (
        json.dumps({"type": "FeatureCollection", "features": ["x"]}),
        "kein GeoJSON-Feature",
    ),
    "a part entirely outside the parent": (
        json.dumps(collection(rect(8.4, 52.4, 8.45, 52.45))),
        "100.0 % der Fläche liegen außerhalb",
    ),
    "a part reaching outside the parent": (
        json.dumps(collection(rect(7.45, 51.45, 7.6, 51.6))),
        "88.9 % der Fläche liegen außerhalb",
    ),
    "two overlapping parts": (
        json.dumps(collection(rect(7.41, 51.41, 7.45, 51.45), rect(7.43, 51.43, 7.48, 51.48))),
        "überschneidet sich mit „Teil 1“",
    ),
    "two identical parts": (
        json.dumps(collection(INSIDE, INSIDE)),
        "überschneidet sich mit „Teil 1“",
    ),
    "a part of zero area": (
        json.dumps(collection(rect(7.41, 51.41, 7.41, 51.45))),
        "umschließt keine Fläche",
    ),
    "a NUL byte in a name": (
        json.dumps(collection(INSIDE, properties={"name": "A\x00B"})),
        "Steuerzeichen",
    ),
    "invalid UTF-8 surrogate in a name": (
        json.dumps(collection(INSIDE)).replace("Teil 1", "\\ud800"),
        "lone surrogate",
    ),
}


@pytest.fixture
def quarter():
    return make_area("Südstadt", boundary=square(WEST, SOUTH, SIZE))


@pytest.fixture
def staff_client(client):
    client.force_login(make_coordination())
    return client


def post(client, area, text="", action="preview", **extra):
    data = {"parts": text, "name_property": "name", "valid_from": str(timezone.localdate())}
    data.update(action=action, **extra)
    return client.post(reverse("admin:neighbourhoods_area_split", args=[area.pk]), data)


def refused(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="save"' not in html
    assert message in html
    assert "errorlist" in html or "Fehler" in html


@pytest.mark.parametrize("text, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_parts_are_refused_with_a_message_and_nothing_is_saved(
    staff_client, quarter, text, message
):
    response = post(staff_client, quarter, text)
    refused(response, message)
    form = response.context["form"]
    fingerprint = getattr(form, "fingerprint", "x")
    response = post(staff_client, quarter, text, action="save", fingerprint=fingerprint)
    assert response.status_code == 200
    assert Area.objects.count() == 1


FROM_A_FILE = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000).encode(),
    "200,000 corner points": HOSTILE["200,000 corner points"][0].encode(),
    "self-intersecting (bow tie)": HOSTILE["self-intersecting (bow tie)"][0].encode(),
    "NaN": HOSTILE["NaN"][0].encode(),
    "a part entirely outside the parent": HOSTILE["a part entirely outside the parent"][0].encode(),
    "lone surrogate in a name": HOSTILE["invalid UTF-8 surrogate in a name"][0].encode(),
    "Latin-1 bytes": json.dumps(collection(INSIDE, properties={"name": "Süd"}))
    .replace("\\u00fc", "\u00fc")
    .encode("latin-1"),
    "UTF-16": json.dumps(collection(INSIDE)).encode("utf-16"),
    "a NUL byte": b"\x00" + json.dumps(collection(INSIDE)).encode(),
}
FILE_MESSAGES = [
    "kein JSON",
    "Eckpunkte",
    "überschneidet sich selbst",
    "zwei Zahlen",
    "außerhalb",
    "lone surrogate",
    "keine UTF-8-Textdatei",
    "keine UTF-8-Textdatei",
    "kein JSON",
]


@pytest.mark.parametrize(
    "content, message", list(zip(FROM_A_FILE.values(), FILE_MESSAGES, strict=True)), ids=FROM_A_FILE
)
def test_hostile_parts_from_a_file_are_refused(staff_client, quarter, content, message):
    url = reverse("admin:neighbourhoods_area_split", args=[quarter.pk])
    upload = SimpleUploadedFile("teile.geojson", content)
    data = {"file": upload, "name_property": "name", "valid_from": str(timezone.localdate())}
    refused(staff_client.post(url, data), message)
    assert Area.objects.count() == 1
