import pytest

from neighbourhoods.lookup import area_for_point
from neighbourhoods.permissions import areas_managed_by, manages_area
from tests.factories import make_area, make_coordination, make_manager, square

pytestmark = pytest.mark.django_db


def test_deepest_current_area_contains_point():
    quarter = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    space = make_area("Am Park", boundary=square(7.40, 51.40, 0.05), parent=quarter)
    assert area_for_point(7.42, 51.42) == space
    assert area_for_point(7.48, 51.48) == quarter
    assert area_for_point(8.0, 52.0) is None


def test_change_in_database_is_noticed_without_restart():
    quarter = make_area("Nordstadt", boundary=square(7.40, 51.40, 0.1))
    assert area_for_point(7.45, 51.45) == quarter
    quarter.boundary = square(7.60, 51.60, 0.1)
    quarter.save()
    assert area_for_point(7.45, 51.45) is None


def test_manager_scope_includes_sub_areas_only_of_their_areas():
    north = make_area("Nordstadt")
    north_space = make_area("Nord-West", parent=north)
    south = make_area("Südstadt")
    manager = make_manager(north)
    assert set(areas_managed_by(manager)) == {north, north_space}
    assert manages_area(manager, north_space)
    assert not manages_area(manager, south)
    assert set(areas_managed_by(make_coordination())) == {north, north_space, south}
