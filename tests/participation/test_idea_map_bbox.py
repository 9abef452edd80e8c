"""The idea map loads only its visible box; a box with too many ideas gets one marker per area."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import Point, shape

from participation.ideas import selectors
from tests.factories import make_area, square

from .helpers import make_idea, point, two_areas

pytestmark = pytest.mark.django_db
GEOJSON = reverse("participation:ideas-geojson")
MAP = reverse("participation:idea-map")
CITY = "7.4,51.4,7.6,51.6"
NORTH_BOX = "7.46,51.51,7.47,51.52"


@pytest.fixture
def limit(monkeypatch):
    def set_limit(value):
        monkeypatch.setattr(selectors, "MAP_CLUSTER_LIMIT", value)

    return set_limit


def located(area, lng, lat, **extra):
    return make_idea(area, location=point(lng, lat), **extra)


def clusters_by_area(data):
    assert data["clustered"] is True
    assert all(feature["properties"]["cluster"] for feature in data["features"])
    return {feature["properties"]["area"]: feature for feature in data["features"]}


def test_below_the_limit_the_box_gets_its_ideas(client):
    north, south = two_areas()
    located(north, 7.465, 51.515, title="Drinnen")
    located(north, 7.469, 51.519, title="Auch drinnen")
    located(south, 7.465, 51.495, title="Draußen")
    data = client.get(GEOJSON, {"bbox": NORTH_BOX}).json()
    assert data["clustered"] is False
    assert sorted(f["properties"]["title"] for f in data["features"]) == ["Auch drinnen", "Drinnen"]
    assert not any("cluster" in f["properties"] for f in data["features"])


def test_above_the_limit_one_cluster_per_area_with_its_count(client, limit):
    limit(2)
    north, south = two_areas()
    for number in range(3):
        located(north, 7.461 + number / 1000, 51.515)
    located(south, 7.465, 51.495)
    located(south, 7.466, 51.496)
    data = client.get(GEOJSON, {"bbox": CITY}).json()
    clusters = clusters_by_area(data)
    assert {name: c["properties"]["count"] for name, c in clusters.items()} == {
        "Nordstadt": 3,
        "Südstadt": 2,
    }
    north_cluster = clusters["Nordstadt"]
    assert set(north_cluster["properties"]) == {"cluster", "count", "area", "url"}
    lng, lat = north_cluster["geometry"]["coordinates"]
    assert shape(north.boundary).contains(Point(lng, lat))  # the area's representative point
    url = urlsplit(north_cluster["properties"]["url"])
    assert url.path == reverse("participation:idea-list")
    assert parse_qs(url.query) == {"area": [str(north.pk)]}
    listed = client.get(north_cluster["properties"]["url"]).context["page_obj"].paginator.count
    assert listed == 3


def test_clusters_count_only_ideas_inside_the_box(client, limit):
    limit(1)
    north, south = two_areas()
    located(north, 7.461, 51.511)
    located(north, 7.462, 51.512)
    located(north, 7.469, 51.519)  # outside the box below
    located(south, 7.465, 51.495)
    data = client.get(GEOJSON, {"bbox": "7.46,51.51,7.464,51.514"}).json()
    clusters = clusters_by_area(data)
    assert {name: c["properties"]["count"] for name, c in clusters.items()} == {"Nordstadt": 2}
    # the area's own point lies outside this box: the marker sits among its ideas instead
    lng, lat = clusters["Nordstadt"]["geometry"]["coordinates"]
    assert (lng, lat) == pytest.approx((7.4615, 51.5115))


def test_filters_apply_to_clusters_and_their_links(client, limit):
    limit(1)
    north, south = two_areas()
    located(north, 7.461, 51.511, kind="strength")
    located(north, 7.462, 51.512, kind="strength")
    located(north, 7.463, 51.513, kind="weakness")
    located(south, 7.465, 51.495, kind="weakness")
    data = client.get(GEOJSON, {"bbox": CITY, "kind": "strength"}).json()
    clusters = clusters_by_area(data)
    assert {name: c["properties"]["count"] for name, c in clusters.items()} == {"Nordstadt": 2}
    query = parse_qs(urlsplit(clusters["Nordstadt"]["properties"]["url"]).query)
    assert query == {"kind": ["strength"], "area": [str(north.pk)]}
    # a filter by a whole quarter splits into its sub-areas, and the link narrows the area
    west = make_area("Nord-West", parent=north, boundary=square(7.46, 51.51, 0.005))
    located(west, 7.461, 51.511, title="Im Westen")
    located(west, 7.462, 51.512, title="Auch im Westen")
    data = client.get(GEOJSON, {"bbox": CITY, "area": north.pk}).json()
    clusters = clusters_by_area(data)
    assert {name: c["properties"]["count"] for name, c in clusters.items()} == {
        "Nord-West": 2,
        "Nordstadt": 3,
    }
    query = parse_qs(urlsplit(clusters["Nord-West"]["properties"]["url"]).query)
    assert query == {"area": [str(west.pk)]}


def test_an_area_without_boundary_clusters_at_its_ideas(client, limit):
    limit(1)
    two_areas()
    nowhere = make_area("Ohne Grenze")
    located(nowhere, 7.50, 51.50)
    located(nowhere, 7.52, 51.52)
    clusters = clusters_by_area(client.get(GEOJSON, {"bbox": CITY}).json())
    assert clusters["Ohne Grenze"]["properties"]["count"] == 2
    assert clusters["Ohne Grenze"]["geometry"]["coordinates"] == pytest.approx([7.51, 51.51])


def test_ideas_without_location_are_never_on_the_map(client, limit):
    limit(0)
    north, _ = two_areas()
    make_idea(north, location=None)
    data = client.get(GEOJSON, {"bbox": CITY}).json()
    assert data == {"type": "FeatureCollection", "clustered": False, "features": []}


def test_without_bbox_the_answer_is_unchanged(client, limit):
    limit(0)
    north, south = two_areas()
    located(north, 7.465, 51.515)
    located(south, 7.465, 51.495)
    data = client.get(GEOJSON).json()
    assert set(data) == {"type", "features"}
    assert len(data["features"]) == 2
    assert all("cluster" not in f["properties"] for f in data["features"])


@pytest.mark.parametrize(
    "bbox",
    [
        "1,2,3",
        "1,2,3,4,5",
        "a,b,c,d",
        "7.5,51.5,7.4,51.6",
        "nan,0,1,1",
        "0,0,inf,1",
        "-inf,0,1,1",
        "1e308,0,1,1",
        "0,0,1e10,1",
        "0,-91,1,1",
    ],
)
def test_a_malformed_or_impossible_bbox_is_400_with_the_format(client, bbox):
    response = client.get(GEOJSON, {"bbox": bbox})
    assert response.status_code == 400
    assert response.content.decode() == "bbox must be minLng,minLat,maxLng,maxLat"


def test_the_whole_world_is_a_valid_box(client, limit):
    limit(1)
    north, south = two_areas()
    located(north, 7.465, 51.515)
    located(south, 7.465, 51.495)
    data = client.get(GEOJSON, {"bbox": "-180,-90,180,90"}).json()
    assert sum(c["properties"]["count"] for c in clusters_by_area(data).values()) == 2


def test_area_names_stay_escaped_in_clusters(client, limit):
    limit(0)
    two_areas()
    evil = make_area('<script>alert("x")</script>', boundary=square(7.48, 51.51))
    located(evil, 7.485, 51.515)
    response = client.get(GEOJSON, {"bbox": CITY})
    assert "<script>" not in response.content.decode()
    assert evil.name in clusters_by_area(response.json())


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(GEOJSON, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("cluster_limit", [0, 10_000])
def test_queries_do_not_grow_with_the_ideas_in_the_box(client, limit, cluster_limit):
    limit(cluster_limit)
    north, south = two_areas()
    located(north, 7.465, 51.515)
    params = {"bbox": CITY, "kind": "idea", "topic": north.ideas.get().topic_id}
    few = _queries(client, params)
    for number in range(40):
        located(south if number % 2 else north, 7.461 + number / 10_000, 51.511, title=f"{number}")
    make_area("Nord-Ost", parent=north, boundary=square(7.465, 51.515, 0.005))
    assert _queries(client, params) == few


def test_map_page_asks_for_the_box_and_opens_on_the_city_or_the_area(client):
    north, south = two_areas()
    html = client.get(MAP).content.decode()
    assert 'data-geojson-bbox="true"' in html
    assert 'data-geojson-url="/ideen.geojson"' in html
    assert 'data-bounds="7.460000,51.490000,7.470000,51.520000"' in html
    assert 'data-cluster-many="{count} Beiträge in {area}"' in html
    assert 'class="map-hint" hidden>' in html and "zum Einzelnen heranzoomen" in html
    assert 'href="/ideen/"' in html  # the list: the way without JavaScript
    html = client.get(MAP, {"area": south.pk}).content.decode()
    assert 'data-bounds="7.460000,51.490000,7.470000,51.500000"' in html
    assert f'data-geojson-url="/ideen.geojson?area={south.pk}"' in html


def test_other_maps_keep_loading_everything(client):
    north, _ = two_areas()
    html = client.get(reverse("neighbourhoods:area-detail", args=[north.slug])).content.decode()
    assert "js-map" in html and "data-geojson-bbox" not in html


def test_plain_sql_counts_the_same_ideas_as_the_orm():
    """With no filter chosen a box's ideas are counted in plain SQL (models.LISTED_SQL): the
    same groups as through the ORM, whatever makes an idea unlisted."""
    from participation.ideas.models import Idea, IdeaStatus

    north, south = two_areas()
    original = located(north, 7.465, 51.515)
    located(north, 7.466, 51.516)
    located(south, 7.465, 51.455)
    located(north, 7.467, 51.517, status=IdeaStatus.PENDING)
    located(north, 7.467, 51.517, status=IdeaStatus.REJECTED)
    located(north, 7.467, 51.517, is_hidden=True)
    located(north, 7.467, 51.517, confirmed_at=None)
    located(north, 7.467, 51.517, duplicate_of=original)
    located(north, 7.9, 51.9)  # outside the box
    make_idea(north, location=None)
    queryset = selectors.located(Idea.objects.listed())
    for bbox in ((7.4, 51.4, 7.6, 51.6), (7.46, 51.51, 7.47, 51.52), (7.0, 50.0, 7.1, 50.1)):
        for area_ids in (None, [north.pk], []):
            orm = selectors._box_groups(queryset, bbox, area_ids=area_ids)
            plain = selectors._box_groups(queryset, bbox, area_ids=area_ids, plain=True)
            assert [(g["area_id"], g["area__name"], g["count"]) for g in plain] == [
                (g["area_id"], g["area__name"], g["count"]) for g in orm
            ]
            for ours, theirs in zip(plain, orm, strict=True):
                assert ours["mean_lng"] == pytest.approx(theirs["mean_lng"])
                assert ours["mean_lat"] == pytest.approx(theirs["mean_lat"])
    counts = {
        g["area__name"]: g["count"]
        for g in selectors._box_groups(queryset, (7.4, 51.4, 7.6, 51.6), plain=True)
    }
    assert counts == {"Nordstadt": 2, "Südstadt": 1}
