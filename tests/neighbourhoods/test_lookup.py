import datetime

import pytest

from neighbourhoods import lookup
from neighbourhoods.lookup import area_for_geojson_point, area_for_point
from neighbourhoods.models import Area, AreaTreeVersion
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db


def test_point_on_the_boundary_belongs_to_the_area():
    area = make_area("Mitte", boundary=square(7.4, 51.4, 0.1))
    assert area_for_point(7.4, 51.45) == area  # on the western edge
    assert area_for_point(7.4, 51.4) == area  # on a corner


def test_point_in_a_hole_is_not_in_the_area_but_in_the_enclave():
    outer = square(7.4, 51.4, 0.1)["coordinates"][0]
    hole = square(7.43, 51.43, 0.02)["coordinates"][0][::-1]
    ring_area = make_area("Ring", boundary={"type": "Polygon", "coordinates": [outer, hole]})
    assert area_for_point(7.44, 51.44) is None
    enclave = make_area("Enklave", boundary=square(7.43, 51.43, 0.02))
    assert area_for_point(7.44, 51.44) == enclave
    assert area_for_point(7.41, 51.41) == ring_area


def test_point_in_either_part_of_a_multipolygon():
    area = make_area(
        "Mit Exklave",
        boundary={
            "type": "MultiPolygon",
            "coordinates": [square(7.4, 51.4)["coordinates"], square(7.6, 51.4)["coordinates"]],
        },
    )
    assert area_for_point(7.405, 51.405) == area
    assert area_for_point(7.605, 51.405) == area
    assert area_for_point(7.5, 51.405) is None


def test_outside_every_area_and_retired_areas_are_ignored():
    make_area(
        "Alt",
        boundary=square(7.4, 51.4),
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    assert area_for_point(7.405, 51.405) is None
    assert area_for_point(0, 0) is None


def test_geojson_point_helper():
    area = make_area("Mitte", boundary=square(7.4, 51.4))
    assert area_for_geojson_point({"type": "Point", "coordinates": [7.405, 51.405]}) == area


def test_another_process_changing_an_area_is_noticed_through_the_version(django_assert_num_queries):
    area = make_area("Mitte", boundary=square(7.4, 51.4))
    assert lookup.area_id_for_point(7.405, 51.405) == area.pk
    # Another worker moves the area: it writes the row (the boundary and its display copy) and
    # bumps the version, but this process's index is untouched — only the version tells it.
    moved = square(8.4, 51.4)
    Area.objects.filter(pk=area.pk).update(boundary=moved, boundary_display=moved)
    assert lookup.area_id_for_point(7.405, 51.405) == area.pk  # stale until the version says so
    AreaTreeVersion.bump()
    assert lookup.area_id_for_point(7.405, 51.405) is None
    assert lookup.area_id_for_point(8.405, 51.405) == area.pk
    with django_assert_num_queries(1):  # a cached index costs one version query per lookup
        lookup.area_id_for_point(8.405, 51.405)


def test_representative_points_lie_inside_and_are_computed_once_per_tree_version(
    django_assert_num_queries,
):
    # an L shape: its centroid lies outside, a marker there would sit in the wrong area
    l_shape = {
        "type": "Polygon",
        "coordinates": [
            [
                [7.4, 51.4],
                [7.5, 51.4],
                [7.5, 51.41],
                [7.41, 51.41],
                [7.41, 51.5],
                [7.4, 51.5],
                [7.4, 51.4],
            ]
        ],
    }
    area = make_area("Winkel", boundary=l_shape)
    points = lookup.representative_points()
    assert area_for_point(*points[area.pk]) == area
    with django_assert_num_queries(1):  # the version check only
        assert lookup.representative_points() is points
    area.name = "Neuer Winkel"
    area.save()
    assert lookup.representative_points() is not points
    assert lookup.areas_bounds() == (7.4, 51.4, 7.5, 51.5)
    assert lookup.areas_bounds([area.pk + 1000]) is None
