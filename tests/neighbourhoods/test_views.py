import copy
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods import demo, registry
from neighbourhoods.models import Area, AreaAssignment
from tests.factories import make_area, make_coordination, make_manager, make_user, square

pytestmark = pytest.mark.django_db


def make_city(count, start=0):
    for number in range(start, start + count):
        quarter = make_area(f"Quartier {number}", boundary=square(7.0 + number * 0.1, 51.0, 0.1))
        make_area(f"Raum {number}", boundary=square(7.0 + number * 0.1, 51.0, 0.05), parent=quarter)


def test_list_shows_tree_and_former_areas(client):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    make_area("Am Park", parent=quarter)
    make_area(
        "Alt",
        parent=quarter,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    response = client.get(reverse("neighbourhoods:area-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="area-tree"' in html and "Am Park" in html
    assert "Frühere Gebiete" in html and "bis 01.01.2021" in html
    assert 'data-finder-url="/quartiere/finden/"' in html
    assert 'data-geojson-url="/quartiere.geojson"' in html
    assert 'aria-current="page">Quartiere' in html


@pytest.mark.parametrize("url_name", ["neighbourhoods:area-list", "neighbourhoods:areas-geojson"])
def test_query_count_does_not_grow_with_the_number_of_areas(client, url_name):
    make_city(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    make_city(10, start=2)
    client.get(reverse(url_name))  # the changed area tree is read again once per process
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(many) == len(few)


def test_detail_query_count_does_not_grow_with_sub_areas(client):
    quarter = make_area("Südstadt", boundary=square(7.0, 51.0, 1))
    make_area("Raum 1", parent=quarter, boundary=square(7.0, 51.0, 0.01))
    url = quarter.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(2, 12):
        make_area(
            f"Raum {number}", parent=quarter, boundary=square(7.0 + number * 0.02, 51.0, 0.01)
        )
    client.get(url)  # the changed area tree is read again once per process
    with CaptureQueriesContext(connection) as many:
        assert "Raum 11" in client.get(url).content.decode()
    assert len(many) == len(few)


def test_geojson_serves_current_boundaries_with_properties(client):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1), colour="#2e7d4f")
    make_area("Ohne Grenze")
    make_area(
        "Alt",
        boundary=square(7.4, 51.4, 0.01),
        parent=quarter,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    data = client.get(reverse("neighbourhoods:areas-geojson")).json()
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["properties"] == {
        "name": "Südstadt",
        "slug": "sudstadt",
        "kind": "quarter",
        "colour": "#2e7d4f",
        "url": "/quartiere/sudstadt/",
    }
    single = client.get(reverse("neighbourhoods:area-geojson", args=["sudstadt"]))
    assert single.json()["geometry"]["type"] == "Polygon"
    assert (
        client.get(reverse("neighbourhoods:area-geojson", args=["ohne-grenze"])).status_code == 404
    )


def test_detail_shows_profile_children_and_history(client):
    demo.load(stdout=io.StringIO())
    html = client.get("/quartiere/suedstadt/").content.decode()
    assert "Südstadt-Am Park" in html and "Südstadt-Bahnhofsviertel" in html
    assert "Welche Themen beschäftigen die Menschen im Quartier?" in html
    assert "Stadtpark" in html
    assert 'id="area-boundary"' in html

    retired = client.get("/quartiere/suedstadt-ost/").content.decode()
    assert "besteht seit 01.03.2026 nicht mehr" in retired
    assert "Daraus wurde" in retired and "Südstadt-Am Hafen" in retired

    successor = client.get("/quartiere/suedstadt-am-hafen/").content.decode()
    assert "Hervorgegangen am 01.03.2026 aus" in successor and "Südstadt-Ost" in successor
    assert client.get("/quartiere/gibt-es-nicht/").status_code == 404


def test_registered_area_sections_are_rendered_with_their_context(client, settings, tmp_path):
    (tmp_path / "section.html").write_text("<section>Ideen in {{ name }}: {{ count }}</section>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    seen = {}

    def context(area, area_ids, request):
        seen["ids"] = set(area_ids)
        return {"name": area.name, "count": len(area_ids)}

    quarter = make_area("Südstadt")
    child = make_area("Am Park", parent=quarter)
    registry.register_area_section("test", template_name="section.html", context=context)
    registry.register_area_section(
        "hidden", template_name="section.html", context=lambda area, ids, request: None
    )
    try:
        html = client.get(quarter.get_absolute_url()).content.decode()
    finally:
        registry._area_sections.pop("test")
        registry._area_sections.pop("hidden")
    assert html.count("<section>Ideen in Südstadt: 2</section>") == 1
    assert seen["ids"] == {quarter.pk, child.pk}


def test_finder_redirects_to_deepest_area(client):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    park = make_area("Am Park", boundary=square(7.4, 51.4, 0.05), parent=quarter)
    response = client.get("/quartiere/finden/", {"lat": "51.42", "lng": "7.42"})
    assert response.status_code == 302 and response.url == park.get_absolute_url()
    response = client.get("/quartiere/finden/", {"lat": "51.48", "lng": "7.48"})
    assert response.url == quarter.get_absolute_url()


def test_finder_outside_every_area_is_friendly(client):
    make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    response = client.get("/quartiere/finden/", {"lat": "48.1", "lng": "11.5"})
    assert response.status_code == 200
    assert "außerhalb der Quartiere" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "51.5"},
        {"lat": "abc", "lng": "7.4"},
        {"lat": "nan", "lng": "7.4"},
        {"lat": "inf", "lng": "7.4"},
        {"lat": "95", "lng": "7.4"},
        {"lat": "51.5", "lng": "7.4" * 1000},
        {"lat": "<script>alert(1)</script>", "lng": "7"},
    ],
)
def test_finder_bad_numbers_get_a_message_and_400(client, params):
    response = client.get("/quartiere/finden/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Der Ort konnte nicht gelesen werden" in html
    assert "<script>alert" not in html


def test_home_and_nav_link_to_the_quarters(client):
    html = client.get("/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/quartiere/"' in nav
    home = html.split('id="main"')[1]
    assert 'href="/quartiere/"' in home


def test_demo_is_idempotent_and_assigns_managers():
    from quartier import demo as accounts

    accounts.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    counts = (Area.objects.count(), AreaAssignment.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Area.objects.count(), AreaAssignment.objects.count()) == counts == (7, 6)
    assert Area.objects.current().count() == 6
    south = Area.objects.get(slug="suedstadt")
    assert AreaAssignment.objects.get(user__username="qm-suedstadt").area == south
    for area in Area.objects.current():
        area.full_clean()  # boundaries within parents and not overlapping


# --- admin ---------------------------------------------------------------


@pytest.fixture
def coordination_client(client):
    client.force_login(make_coordination())
    return client


def test_admin_edits_for_coordination_split_and_retire_for_own_managers_too(client):
    area = make_area("Südstadt")
    make_area("Nordstadt")
    restructure = [
        reverse("admin:neighbourhoods_area_split", args=[area.pk]),
        reverse("admin:neighbourhoods_area_retire", args=[area.pk]),
    ]
    change = reverse("admin:neighbourhoods_area_change", args=[area.pk])
    assignments = reverse("admin:neighbourhoods_areaassignment_changelist")
    client.force_login(make_manager(Area.objects.get(slug="nordstadt")))
    for url in [*restructure, assignments]:
        assert client.get(url).status_code == 403, url
    assert client.get(change).status_code == 302  # not in their list: "does not exist"
    changelist = client.get(reverse("admin:neighbourhoods_area_changelist")).content.decode()
    assert "Nordstadt" in changelist and "Südstadt" not in changelist
    client.force_login(make_manager(area))
    for url in restructure:
        assert client.get(url).status_code == 200, url
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page and "id_boundary" not in page  # read only
    assert restructure[0] in page and restructure[1] in page
    assert client.post(change, {"name": "Umbenannt"}).status_code == 403
    assert client.get(assignments).status_code == 403
    client.force_login(make_coordination())
    for url in [change, *restructure, assignments]:
        assert client.get(url).status_code == 200, url


def test_admin_change_form_has_the_boundary_map(coordination_client):
    area = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    html = coordination_client.get(
        reverse("admin:neighbourhoods_area_change", args=[area.pk])
    ).content.decode()
    assert 'data-boundary-input="id_boundary"' in html
    assert "leaflet.draw.js" in html and "js/maps.js" in html
    assert "Aufteilen" in html


def admin_post(client, area=None, **changes):
    data = {
        "name": "Nordstadt",
        "slug": "nordstadt",
        "kind": "quarter",
        "colour": "#1d5b79",
        "boundary": json.dumps(square(7.4, 51.4, 0.1)),
        "valid_from": "2024-01-01",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        **changes,
    }
    url = (
        reverse("admin:neighbourhoods_area_change", args=[area.pk])
        if area
        else reverse("admin:neighbourhoods_area_add")
    )
    return client.post(url, data)


def test_admin_saves_a_valid_boundary(coordination_client):
    response = admin_post(coordination_client)
    assert response.status_code == 302
    assert Area.objects.get(slug="nordstadt").boundary["type"] == "Polygon"


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        ("{kaputt", "kein gültiges JSON"),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[400000, 5700000], [401000, 5700000], [401000, 5701000], [400000, 5700000]]
                    ],
                }
            ),
            "projiziert",
        ),
        (json.dumps(square(7.45, 51.45, 0.1)), "überschneidet sich mit „Südstadt“"),
    ],
)
def test_admin_refuses_bad_boundaries_and_keeps_the_input(coordination_client, boundary, expected):
    make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    response = admin_post(coordination_client, boundary=boundary, name="Nord <b>x</b>")
    html = response.content.decode()
    assert response.status_code == 200
    assert expected in html
    assert "Nord &lt;b&gt;x&lt;/b&gt;" in html
    assert not Area.objects.filter(slug="nordstadt").exists()


def test_admin_split_upload(coordination_client):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    west = square(7.4, 51.4, 0.05)
    east = square(7.45, 51.4, 0.05)
    upload = io.BytesIO(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "West"}, "geometry": west},
                    {"type": "Feature", "properties": {"name": "Ost"}, "geometry": east},
                ],
            }
        ).encode()
    )
    upload.name = "teile.geojson"
    url = reverse("admin:neighbourhoods_area_split", args=[quarter.pk])
    today = str(datetime.date.today())
    response = coordination_client.post(
        url, {"file": upload, "name_property": "name", "valid_from": today, "action": "preview"}
    )
    assert response.status_code == 200  # the preview first: nothing written yet
    assert not quarter.children.exists()
    form = response.context["form"]
    assert [field.value() for field in form.name_fields()] == ["West", "Ost"]
    response = coordination_client.post(
        url,
        {
            "parts": form["parts"].value(),
            "name_1": "West",
            "name_2": "Ost",
            "name_property": "name",
            "valid_from": today,
            "action": "save",
            "fingerprint": form.fingerprint,
        },
    )
    assert response.status_code == 302
    assert set(quarter.children.values_list("name", flat=True)) == {"West", "Ost"}


def test_admin_split_refuses_esri_and_writes_nothing(coordination_client):
    from pathlib import Path

    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    path = Path(__file__).resolve().parent.parent / "data" / "stadtbezirke_esri.json"
    with path.open("rb") as upload:
        response = coordination_client.post(
            reverse("admin:neighbourhoods_area_split", args=[quarter.pk]),
            {"file": upload, "name_property": "STADTBEZIRK", "valid_from": "2026-01-01"},
        )
    assert response.status_code == 200
    assert "Esri-JSON" in response.content.decode()
    assert Area.objects.count() == 1


def test_admin_assignment_of_a_resident_is_possible_only_for_coordination(client):
    make_area("Südstadt")
    resident = make_user()
    client.force_login(resident)
    response = client.get(reverse("admin:neighbourhoods_areaassignment_add"))
    assert response.status_code == 302  # not staff: to the admin login
