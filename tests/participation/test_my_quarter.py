import json
import random

import pytest
from django.urls import reverse
from shapely.geometry import shape

from participation.surveys.drawings import density_grid, drawing_create, proposed_boundaries
from participation.surveys.models import SocialSpaceDrawing
from tests.factories import make_area, make_coordination, make_manager, make_user, square

pytestmark = pytest.mark.django_db
URL = reverse("participation:my-quarter")


@pytest.fixture
def south():
    return make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))


def poly(lng, lat, size=0.005):
    return square(lng, lat, size)


def draw(client, boundary, name="Am Markt", **extra):
    value = boundary if isinstance(boundary, str) else json.dumps(boundary)
    data = {"boundary": value, "name": name, "ties": ["live"], "identifies_with": "", **extra}
    return client.post(URL, data)


def test_resident_draws_once_per_year(client, south):
    assert "leaflet.draw.js" in client.get(URL).content.decode()
    response = draw(client, poly(7.41, 51.41))
    assert response.status_code == 302
    drawing = SocialSpaceDrawing.objects.get()
    assert drawing.quarter == south and drawing.person_key == "" and drawing.ties == ["live"]
    again = draw(client, poly(7.42, 51.42))
    assert again.status_code == 400
    assert SocialSpaceDrawing.objects.count() == 1
    user = make_user("z@example.org")
    client.cookies.clear()
    client.force_login(user)
    assert draw(client, poly(7.41, 51.41)).status_code == 302
    client.cookies.clear()
    client.force_login(user)
    assert draw(client, poly(7.41, 51.41)).status_code == 400
    assert SocialSpaceDrawing.objects.exclude(person_key="").count() == 1


@pytest.mark.parametrize(
    "boundary, message",
    [
        (  # a bow tie: self-intersecting
            {
                "type": "Polygon",
                "coordinates": [
                    [[7.41, 51.41], [7.42, 51.42], [7.42, 51.41], [7.41, 51.42], [7.41, 51.41]]
                ],
            },
            "",
        ),
        (poly(2.0, 48.0), "nicht in unserer Stadt"),
        (square(5.0, 50.0, 2.0), "zu groß"),
        ("nicht json", ""),
        ("", "Bitte zeichnen Sie Ihr Viertel"),
    ],
)
def test_bad_drawings_are_refused(client, south, boundary, message):
    response = draw(client, boundary)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SocialSpaceDrawing.objects.exists()


def test_name_with_control_characters_is_refused(client, south):
    assert draw(client, poly(7.41, 51.41), name="a\x07b").status_code == 400


def fill(south, n, lng, lat, name, rng):
    for _ in range(n):
        drawing_create(
            boundary=poly(lng + rng.uniform(-0.002, 0.002), lat + rng.uniform(-0.002, 0.002), 0.01),
            name=name,
        )


def test_grid_shows_only_cells_with_enough_drawings(client, south):
    rng = random.Random(1)
    fill(south, 4, 7.41, 51.41, "Am Markt", rng)
    assert density_grid()["features"] == []
    fill(south, 1, 7.41, 51.41, "Am Markt", rng)
    grid = client.get(reverse("participation:my-quarter-geojson")).json()
    assert grid["features"] and all(f["properties"]["count"] >= 5 for f in grid["features"])
    page = client.get(reverse("participation:my-quarter-map")).content.decode()
    assert "Am Markt" in page


def test_proposed_boundaries_are_valid_and_inside_the_quarter(client, south):
    rng = random.Random(2)
    fill(south, 12, 7.405, 51.405, "Bahnhofsviertel", rng)
    fill(south, 12, 7.43, 51.43, "Am Park", rng)
    proposal = proposed_boundaries(south)
    assert len(proposal["features"]) == 2
    quarter = shape(south.boundary)
    for feature in proposal["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and geometry.within(quarter.buffer(1e-9))
    assert {f["properties"]["name"] for f in proposal["features"]} == {"Bahnhofsviertel", "Am Park"}
    url = reverse("participation:my-quarter-proposal", args=[south.slug])
    assert client.get(url).status_code == 302
    client.force_login(make_manager(make_area("Anderswo")))
    assert client.get(url).status_code == 404
    client.force_login(make_coordination())
    assert len(client.get(url).json()["features"]) == 2
    page = client.get(reverse("participation:my-quarter-map")).content.decode()
    assert "Vorschlag als GeoJSON" in page


def test_the_proposal_starts_a_split(south):
    from neighbourhoods.geojson_io import read_feature_collection
    from neighbourhoods.services import area_split

    rng = random.Random(3)
    fill(south, 8, 7.405, 51.405, "Bahnhofsviertel", rng)
    fill(south, 8, 7.43, 51.43, "Am Park", rng)
    children = read_feature_collection(json.dumps(proposed_boundaries(south)))
    new_areas = area_split(area=south, children=children, by=make_coordination())
    assert sorted(area.name for area in new_areas) == ["Am Park", "Bahnhofsviertel"]


def test_demo_drawings_cluster_into_a_plausible_proposal(south):
    import io

    from participation.surveys import demo

    demo.load_drawings(stdout=io.StringIO())
    assert 180 <= SocialSpaceDrawing.objects.count() <= 200
    names = {f["properties"]["name"] for f in proposed_boundaries(south)["features"]}
    assert {"Bahnhofsviertel", "Am Stadtpark"} <= names
    demo.load_drawings(stdout=io.StringIO())
    assert SocialSpaceDrawing.objects.count() <= 200


def test_staff_map_lays_the_proposal_over_todays_areas(client, south):
    rng = random.Random(4)
    fill(south, 8, 7.405, 51.405, "Bahnhofsviertel", rng)
    client.force_login(make_manager(south))
    url = reverse("participation:my-quarter-proposal", args=[south.slug])
    data = client.get(url, {"karte": 1}).json()
    summaries = [f["properties"]["summary"] for f in data["features"]]
    assert summaries[0] == "Südstadt" and "Vorschlag: Bahnhofsviertel" in summaries


def test_visitors_are_limited_per_network(client, settings, south):
    settings.RATELIMIT_ENABLED = True
    settings.SURVEY_ANSWERS_PER_NETWORK = 2
    for _ in range(2):
        client.cookies.clear()
        assert draw(client, poly(7.41, 51.41)).status_code == 302
    client.cookies.clear()
    assert draw(client, poly(7.41, 51.41)).status_code == 400
    assert SocialSpaceDrawing.objects.count() == 2


def test_the_split_screen_opens_with_the_proposal_and_saves_it(client, south):
    from neighbourhoods.models import Area

    rng = random.Random(5)
    fill(south, 8, 7.405, 51.405, "Bahnhofsviertel", rng)
    fill(south, 8, 7.43, 51.43, "Am Park", rng)
    manager = make_manager(south)
    client.force_login(manager)
    page = client.get(reverse("participation:my-quarter-map")).content.decode()
    split_url = reverse("admin:neighbourhoods_area_split", args=[south.pk])
    assert f'href="{split_url}?vorschlag=mein-quartier"' in page
    response = client.get(split_url, {"vorschlag": "mein-quartier"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Die Teile kommen aus dem Vorschlag" in page
    assert 'value="Bahnhofsviertel"' in page and 'value="Am Park"' in page
    form = response.context["form"]
    assert form.is_bound and response.context["preview"] is not None
    # what the screen shows is what is saved: the preview's fingerprint, then "Aufteilen"
    data = {key: form.data[key] for key in form.data}
    data.update(action="save", fingerprint=form.fingerprint)
    assert response.context["preview"].ok, page[:3000]
    response = client.post(split_url, data)
    assert response.status_code == 302
    children = Area.objects.filter(parent=south).order_by("name")
    assert [area.name for area in children] == ["Am Park", "Bahnhofsviertel"]


def test_the_split_screen_without_a_proposal_says_so(client, south):
    client.force_login(make_coordination())
    split_url = reverse("admin:neighbourhoods_area_split", args=[south.pk])
    response = client.get(split_url, {"vorschlag": "mein-quartier"}, follow=True)
    page = response.content.decode()
    assert "Für „Südstadt“ gibt es noch keinen Vorschlag" in page
    assert not response.context["form"].is_bound
    assert client.get(split_url, {"vorschlag": "gibt-es-nicht"}).status_code == 200
