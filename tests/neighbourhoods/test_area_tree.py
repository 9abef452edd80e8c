"""The one area tree (neighbourhoods.selectors.area_tree)."""

import datetime

import pytest
from django.utils import timezone

from neighbourhoods.models import Area, AreaTreeVersion
from neighbourhoods.selectors import area_tree
from tests.factories import make_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Südstadt with Am Park and Ost; Ost was split into Hafen and Bahnhof (successors)."""
    south = make_area("Südstadt")
    park = make_area("Am Park", parent=south)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    east = make_area("Ost", parent=south, valid_from=yesterday - datetime.timedelta(days=9))
    east.valid_until = yesterday
    east.save()
    harbour = make_area("Hafen", parent=south, valid_from=yesterday)
    station = make_area("Bahnhof", parent=south, valid_from=yesterday)
    harbour.predecessors.add(east)
    station.predecessors.add(east)
    quay = make_area("Kai", parent=harbour, valid_from=yesterday)
    north = make_area("Nordstadt")
    return {
        name: area.pk
        for name, area in {
            "south": south,
            "park": park,
            "east": east,
            "harbour": harbour,
            "station": station,
            "quay": quay,
            "north": north,
        }.items()
    }


def test_below_an_area_with_and_without_successors(city):
    tree = area_tree()
    everything_south = {city[name] for name in city if name != "north"}
    assert tree.descendant_ids(city["south"], with_successors=False) == everything_south
    assert tree.descendant_ids(city["south"], with_successors=True) == everything_south
    assert tree.descendant_ids(city["east"], with_successors=False) == {city["east"]}
    assert tree.descendant_ids(city["east"], with_successors=True) == {
        city["east"],
        city["harbour"],
        city["station"],
        city["quay"],
    }
    assert tree.descendant_ids([city["east"], city["north"]], with_successors=False) == {
        city["east"],
        city["north"],
    }


def test_above_an_area_is_the_inverse(city):
    tree = area_tree()
    assert tree.ancestor_ids(city["quay"], with_predecessors=False) == {
        city["quay"],
        city["harbour"],
        city["south"],
    }
    assert tree.ancestor_ids(city["quay"], with_predecessors=True) == {
        city["quay"],
        city["harbour"],
        city["east"],
        city["south"],
    }
    for above in city.values():
        for below in city.values():
            for flag in (False, True):
                assert (above in tree.ancestor_ids(below, with_predecessors=flag)) == (
                    below in tree.descendant_ids(above, with_successors=flag)
                )


def test_depth_and_current_children(city):
    tree = area_tree()
    assert tree.depth(city["south"]) == 0
    assert tree.depth(city["harbour"]) == 1
    assert tree.depth(Area.objects.get(pk=city["quay"])) == 2
    assert tree.current_children_ids(city["south"]) == [
        city["park"],
        city["station"],
        city["harbour"],
    ]
    assert not tree.is_current(city["east"])


def test_the_tree_is_built_once_per_version(city, django_assert_num_queries):
    tree = area_tree()
    with django_assert_num_queries(1):  # the version check only
        assert area_tree() is tree
    # another process adds a link ("came from") and bumps the version
    Area.predecessors.through.objects.create(from_area_id=city["park"], to_area_id=city["north"])
    assert area_tree() is tree
    AreaTreeVersion.bump()
    assert city["park"] in area_tree().descendant_ids(city["north"], with_successors=True)


def test_changing_predecessors_in_this_process_makes_the_tree_stale(city):
    assert area_tree().descendant_ids(city["north"], with_successors=True) == {city["north"]}
    Area.objects.get(pk=city["park"]).predecessors.add(city["north"])
    assert city["park"] in area_tree().descendant_ids(city["north"], with_successors=True)
    Area.objects.get(pk=city["park"]).predecessors.clear()
    assert area_tree().descendant_ids(city["north"], with_successors=True) == {city["north"]}


def test_a_new_day_rebuilds_which_areas_are_current(city, monkeypatch):
    tree = area_tree()
    assert tree.is_current(city["park"])
    Area.objects.filter(pk=city["park"]).update(valid_until=timezone.localdate())
    assert area_tree().is_current(city["park"])  # no bump: the same day's tree stays
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert not area_tree().is_current(city["park"])


def test_the_tree_version_is_read_once_per_request(client, city):
    """Several parts of a request ask whether the tree changed: the database is asked once per
    request, again after the request's own change, and each time outside requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from neighbourhoods import models

    def version_reads(captured):
        return sum("areatreeversion" in query["sql"] for query in captured.captured_queries)

    url = reverse("participation:idea-similar")
    location = '{"type": "Point", "coordinates": [7.465, 51.515]}'
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"title": "Bänke am Spielplatz", "location": location})
    assert response.status_code == 200
    assert version_reads(captured) == 1
    token = models._request_tree_version.set([])  # as during a request
    try:
        before = AreaTreeVersion.current()
        with CaptureQueriesContext(connection) as captured:
            assert AreaTreeVersion.current() == before
        assert version_reads(captured) == 0
        make_area("Weststadt")  # the request's own change
        assert AreaTreeVersion.current() > before
    finally:
        models._request_tree_version.reset(token)
    with CaptureQueriesContext(connection) as captured:
        AreaTreeVersion.current()
        AreaTreeVersion.current()
    assert version_reads(captured) == 2
