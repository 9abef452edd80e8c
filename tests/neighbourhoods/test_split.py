"""Split and retire: new areas, history, and re-assignment of every registered located model.

The stand-in located model lives only in the tests (app label "neighbourhoods_tests", not an
installed app, so no migration knows it); its table is created once per module outside any
transaction, which works on SQLite and PostgreSQL alike.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.utils import timezone

from neighbourhoods import registry
from neighbourhoods.lookup import area_for_point
from neighbourhoods.models import Area
from neighbourhoods.services import area_retire, area_split
from tests.factories import make_area, make_manager, square


class Spot(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", null=True)
    location = models.JSONField(null=True)

    class Meta:
        app_label = "neighbourhoods_tests"

    def __str__(self):
        return f"Spot {self.pk}"


@pytest.fixture(scope="module")
def spot_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Spot)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Spot)


@pytest.fixture
def spots(spot_table, db):
    registry.register_located(Spot, area_field="area", point_field="location")
    yield Spot
    registry.unregister_located(Spot)


def point(lng, lat):
    return {"type": "Point", "coordinates": [lng, lat]}


def halves(lng, lat, size):
    """West and east halves of the square at (lng, lat)."""
    half = size / 2
    west = {
        "type": "Polygon",
        "coordinates": [
            [[lng, lat], [lng + half, lat], [lng + half, lat + size], [lng, lat + size], [lng, lat]]
        ],
    }
    east = {
        "type": "Polygon",
        "coordinates": [
            [
                [lng + half, lat],
                [lng + size, lat],
                [lng + size, lat + size],
                [lng + half, lat + size],
                [lng + half, lat],
            ]
        ],
    }
    return west, east


def test_splitting_a_quarter_creates_children_and_moves_items(spots):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    west_spot = spots.objects.create(area=quarter, location=point(7.42, 51.45))
    east_spot = spots.objects.create(area=quarter, location=point(7.48, 51.45))
    no_point = spots.objects.create(area=quarter, location=None)
    broken_point = spots.objects.create(area=quarter, location={"type": "Point"})
    calls = []
    callback = registry.on_split(lambda *, old_area, new_areas: calls.append((old_area, new_areas)))
    try:
        west, east = halves(7.4, 51.4, 0.1)
        new = area_split(
            area=quarter,
            children=[
                {"name": "Am Park", "boundary": west},
                {"name": "Am Hafen", "boundary": east},
            ],
        )
    finally:
        registry._split_callbacks.remove(callback)

    park, harbour = new
    assert {area.parent for area in new} == {quarter}
    assert {area.kind for area in new} == {Area.Kind.SOCIAL_SPACE}
    quarter.refresh_from_db()
    assert quarter.is_current
    west_spot.refresh_from_db(), east_spot.refresh_from_db()
    assert (west_spot.area, east_spot.area) == (park, harbour)
    assert spots.objects.get(pk=no_point.pk).area == quarter
    assert spots.objects.get(pk=broken_point.pk).area == quarter
    assert calls == [(quarter, new)]
    assert area_for_point(7.42, 51.45) == park  # the lookup index noticed


def test_splitting_a_social_space_retires_it_with_successors(spots):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    space = make_area(
        "Süd-Ost",
        boundary=square(7.4, 51.4, 0.1),
        parent=quarter,
        valid_from=datetime.date(2024, 1, 1),
    )
    item = spots.objects.create(area=space, location=point(7.48, 51.45))
    west, east = halves(7.4, 51.4, 0.1)
    new = area_split(
        area=space,
        children=[{"name": "Bahnhof", "boundary": west}, {"name": "Hafen", "boundary": east}],
    )
    space.refresh_from_db()
    assert space.valid_until == timezone.localdate()
    assert not space.is_current
    assert set(space.successors.all()) == set(new)
    assert all(area.parent == quarter for area in new)
    item.refresh_from_db()
    assert item.area.name == "Hafen"

    with pytest.raises(ValidationError, match="nicht mehr aktuell"):
        area_split(area=space, children=[{"name": "Noch mal", "boundary": west}])


def test_split_is_all_or_nothing(spots):
    quarter = make_area("Nordstadt", boundary=square(7.4, 51.4, 0.1))
    item = spots.objects.create(area=quarter, location=point(7.42, 51.45))
    west, _east = halves(7.4, 51.4, 0.1)
    with pytest.raises(ValidationError, match="Zu groß.*nicht innerhalb"):
        area_split(
            area=quarter,
            children=[
                {"name": "Gut", "boundary": west},
                {"name": "Zu groß", "boundary": square(7.45, 51.45, 0.1)},
            ],
        )
    assert Area.objects.count() == 1
    item.refresh_from_db()
    assert item.area == quarter


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([], "mindestens ein neues Gebiet"),
        ([{"name": "", "boundary": square(7.4, 51.4, 0.02)}], "Name fehlt"),
        ([{"name": "A", "boundary": "kaputt"}], "A: Das ist kein gültiges JSON"),
        (
            [
                {"name": "A", "boundary": square(7.4, 51.4, 0.05)},
                {"name": "B", "boundary": square(7.42, 51.42, 0.05)},
            ],
            "B: Die Grenze überschneidet sich mit „A“",
        ),
        (
            [
                {"name": "A", "boundary": square(7.4, 51.4, 0.02)},
                {"name": "a", "boundary": square(7.45, 51.45, 0.02)},
            ],
            "gibt es hier schon",
        ),
    ],
)
def test_bad_split_input_is_refused(spots, children, expected):
    quarter = make_area("Innenstadt", boundary=square(7.4, 51.4, 0.1))
    with pytest.raises(ValidationError, match=expected):
        area_split(area=quarter, children=children)
    assert Area.objects.count() == 1


def test_social_space_must_be_covered_completely_and_date_not_in_future(spots):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    space = make_area("Raum", boundary=square(7.4, 51.4, 0.1), parent=quarter)
    west, _east = halves(7.4, 51.4, 0.1)
    with pytest.raises(ValidationError, match="nicht ganz ab"):
        area_split(area=space, children=[{"name": "Nur West", "boundary": west}])
    with pytest.raises(ValidationError, match="künftigen Datum"):
        area_split(
            area=space,
            children=[{"name": "West", "boundary": west}],
            valid_from=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_only_coordination_and_the_areas_own_managers_may_split(spots):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    other = make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    west, _east = halves(7.4, 51.4, 0.1)
    with pytest.raises(PermissionDenied):
        area_split(area=quarter, children=[{"name": "W", "boundary": west}], by=make_manager(other))
    area_split(area=quarter, children=[{"name": "W", "boundary": west}], by=make_manager(quarter))


def test_retire_hands_items_to_the_single_successor(spots):
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    old = make_area(
        "Alt",
        boundary=square(7.4, 51.4, 0.05),
        parent=quarter,
        valid_from=datetime.date(2024, 1, 1),
    )
    item = spots.objects.create(area=old, location=None)
    old_valid = Area.objects.filter(pk=old.pk)
    area_retire(area=old, successors=[])
    new = make_area("Neu", boundary=square(7.4, 51.4, 0.05), parent=quarter)
    old_valid.update(valid_until=None)
    area_retire(area=Area.objects.get(pk=old.pk), successors=[new])
    item.refresh_from_db()
    assert item.area == new
    assert list(new.predecessors.all()) == [old]
    with pytest.raises(ValidationError, match="bereits seit"):
        area_retire(area=Area.objects.get(pk=old.pk), successors=[new])


def test_splitting_a_demo_quarter_reassigns_its_items(spots):
    import io

    from shapely.geometry import box, mapping, shape

    from neighbourhoods import demo

    demo.load(stdout=io.StringIO())
    innenstadt = Area.objects.get(slug="innenstadt")
    outline = shape(innenstadt.boundary)
    west = outline.intersection(box(7.40, 51.40, 7.47, 51.60))
    east = outline.intersection(box(7.47, 51.40, 7.55, 51.60))
    at_market = spots.objects.create(area=innenstadt, location=point(7.455, 51.500))
    at_station = spots.objects.create(area=innenstadt, location=point(7.485, 51.500))
    elsewhere = spots.objects.create(
        area=Area.objects.get(slug="nordstadt"), location=point(7.47, 51.52)
    )

    new = area_split(
        area=innenstadt,
        children=[
            {"name": "Innenstadt-Altstadt", "boundary": mapping(west)},
            {"name": "Innenstadt-Bahnhof", "boundary": mapping(east)},
        ],
    )

    old_town, station = new
    assert spots.objects.get(pk=at_market.pk).area == old_town
    assert spots.objects.get(pk=at_station.pk).area == station
    assert spots.objects.get(pk=elsewhere.pk).area.slug == "nordstadt"
    assert area_for_point(7.455, 51.500) == old_town
