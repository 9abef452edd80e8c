"""The split and retire previews: geometry diagnostics, counts that match what the real split
and retirement then do, and not a single write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourhoods.models import Area
from neighbourhoods.previews import area_retire_preview, area_split_preview
from neighbourhoods.services import area_retire, area_split
from network.models import Partner
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Idea
from participation.meetings.models import Meeting
from participation.subscriptions.models import Subscription
from tests.factories import make_area, make_coordination, make_manager, make_user, square
from tests.network.factories import make_partner
from tests.participation.helpers import make_idea, point
from tests.participation.meeting_factories import make_meeting


def rect(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def no_writes():
    """A context that records the queries; `.writes` lists every one that is not a read."""
    return CaptureQueriesContext(connection)


def writes(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]


@pytest.fixture
def quarter(db):
    return make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))


def test_preview_finds_the_gap_and_the_overlap_in_square_metres_and_percent(quarter):
    west, east = rect(7.4, 51.4, 7.46, 51.5), rect(7.45, 51.4, 7.49, 51.5)
    with no_writes() as captured:
        preview = area_split_preview(
            area=quarter,
            children=[{"name": "West", "boundary": west}, {"name": "Ost", "boundary": east}],
        )
    assert writes(captured) == []
    pieces = {piece.kind: piece for piece in preview.pieces}
    assert set(pieces) == {"uncovered", "overlap"}
    assert pieces["uncovered"].share == pytest.approx(10, abs=0.1)
    assert pieces["overlap"].share == pytest.approx(10, abs=0.1)
    assert pieces["overlap"].label == "„West“ überschneidet „Ost“"
    assert pieces["uncovered"].m2 == pytest.approx(pieces["overlap"].m2, rel=0.01)
    # 0.01° of longitude (693 m at 51.45° N) × 0.1° of latitude (11.12 km)
    assert 7_650_000 < pieces["uncovered"].m2 < 7_750_000
    assert [part.name for part in preview.parts] == ["West", "Ost"]
    assert [round(part.share) for part in preview.parts] == [60, 40]
    assert preview.errors and "überschneidet sich mit „West“" in preview.errors[0]
    roles = [feature["properties"]["role"] for feature in preview.geojson()["features"]]
    assert roles == ["area", "part", "part", "uncovered", "overlap"]


def test_preview_of_a_clean_split_has_no_pieces_and_no_errors(quarter):
    preview = area_split_preview(
        area=quarter,
        children=[
            {"name": "West", "boundary": rect(7.4, 51.4, 7.45, 51.5)},
            {"name": "Ost", "boundary": rect(7.45, 51.4, 7.5, 51.5)},
        ],
    )
    assert preview.ok and preview.pieces == []


def test_preview_marks_what_lies_outside_the_area(quarter):
    preview = area_split_preview(
        area=quarter, children=[{"name": "Zu groß", "boundary": rect(7.4, 51.4, 7.55, 51.5)}]
    )
    outside = [piece for piece in preview.pieces if piece.kind == "outside"]
    assert len(outside) == 1 and outside[0].share == pytest.approx(50, abs=0.2)
    assert not preview.ok


def located_data(quarter):
    inside_west, inside_east = point(7.42, 51.45), point(7.48, 51.45)
    make_idea(quarter, location=inside_west)
    make_idea(quarter, location=inside_east, title="Zwei")
    make_idea(quarter, location=inside_east, title="Drei")
    make_idea(quarter, location=None, title="Ohne Ort")
    make_meeting(quarter, location=inside_west)
    make_meeting(quarter, location=None)
    partner = make_partner("Verein Ost", areas=[quarter], point=inside_east)
    Partner.objects.filter(pk=partner.pk).update(area=quarter)
    for score in (2, 4, 5):
        MoodAnswer.objects.create(area=quarter, score=score)
    Subscription.objects.create(email="a@example.org", area=quarter)
    Subscription.objects.create(user=make_user(), area=quarter)


def by_area(model, field="area"):
    counts = {}
    for area_id in model._base_manager.values_list(f"{field}_id", flat=True):
        counts[area_id] = counts.get(area_id, 0) + 1
    return counts


def table(preview):
    return {row.label: (row.counts, row.stays) for row in preview.rows}


def test_split_counts_match_the_data_and_what_the_split_then_does(quarter):
    located_data(quarter)
    children = [
        {"name": "West", "boundary": rect(7.4, 51.4, 7.45, 51.5)},
        {"name": "Ost", "boundary": rect(7.45, 51.4, 7.5, 51.5)},
    ]
    before = {model: by_area(model) for model in (Idea, Meeting, Partner, MoodAnswer)}
    with no_writes() as captured:
        preview = area_split_preview(area=quarter, children=children)
    assert writes(captured) == []
    assert {model: by_area(model) for model in (Idea, Meeting, Partner, MoodAnswer)} == before
    assert Area.objects.count() == 1
    rows = table(preview)
    assert rows["Ideen, Stärken und Schwächen"] == ([1, 2], 1)
    assert rows["Treffen"] == ([1, 0], 1)
    assert rows["Netzwerkpartner"] == ([0, 1], 0)
    assert rows["Antworten Stimmungsbarometer"] == ([0, 0], 3)
    assert rows["Abos (Folgen)"] == ([0, 0], 2)  # a quarter stays and covers its parts
    west, east = area_split(area=quarter, children=children)
    assert by_area(Idea) == {west.pk: 1, east.pk: 2, quarter.pk: 1}
    assert by_area(Meeting) == {west.pk: 1, quarter.pk: 1}
    assert by_area(Partner) == {east.pk: 1}
    assert by_area(MoodAnswer) == {quarter.pk: 3}
    assert by_area(Subscription) == {quarter.pk: 2}


def test_splitting_a_social_space_moves_followers_as_the_preview_says(quarter):
    space = make_area(
        "Süd-Ost",
        boundary=square(7.4, 51.4, 0.1),
        parent=quarter,
        valid_from=datetime.date(2024, 1, 1),
    )
    located_data(space)
    children = [
        {"name": "West", "boundary": rect(7.4, 51.4, 7.45, 51.5)},
        {"name": "Ost", "boundary": rect(7.45, 51.4, 7.5, 51.5)},
    ]
    preview = area_split_preview(area=space, children=children)
    assert preview.ok, preview.errors
    rows = table(preview)
    assert rows["Abos (Folgen)"] == ([2, 2], 0)
    assert rows["Ideen, Stärken und Schwächen"] == (
        [1, 2],
        1,
    )  # without a point it stays with the former area
    west, east = area_split(area=space, children=children)
    assert by_area(Subscription) == {west.pk: 2, east.pk: 2}
    assert by_area(Idea) == {west.pk: 1, east.pk: 2, space.pk: 1}


def test_retire_preview_per_successor_and_nothing_written(quarter):
    old = make_area("Alt", boundary=rect(7.4, 51.4, 7.5, 51.45), parent=quarter)
    west = make_area("West", boundary=rect(7.4, 51.45, 7.45, 51.5), parent=quarter)
    east = make_area("Ost", boundary=rect(7.45, 51.45, 7.5, 51.5), parent=quarter)
    make_idea(old, location=point(7.42, 51.41))  # nearest: West
    make_idea(old, location=point(7.49, 51.41), title="Zwei")  # nearest: Ost
    make_idea(old, location=None, title="Ohne Ort")
    Subscription.objects.create(email="a@example.org", area=old)
    Subscription.objects.create(email="A@example.org", area=east)  # already follows Ost
    with no_writes() as captured:
        preview = area_retire_preview(area=old, successors=[west, east])
    assert writes(captured) == []
    assert Area.objects.get(pk=old.pk).is_current
    rows = table(preview)
    assert preview.targets == ["West", "Ost"]
    assert rows["Ideen, Stärken und Schwächen"] == ([1, 1], 1)
    assert rows["Abos (Folgen)"] == ([1, 0], 0)
    single = table(area_retire_preview(area=old, successors=[west]))
    assert single["Ideen, Stärken und Schwächen"] == ([3], 0)
    area_retire(area=old, successors=[west, east])
    assert by_area(Idea) == {west.pk: 1, east.pk: 1, old.pk: 1}


def test_previews_refuse_managers_of_other_areas(quarter):
    other = make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    own_manager, stranger = make_manager(quarter), make_manager(other)
    child = [{"name": "West", "boundary": rect(7.4, 51.4, 7.45, 51.5)}]
    assert area_split_preview(area=quarter, children=child, by=own_manager).ok
    assert area_split_preview(area=quarter, children=child, by=make_coordination()).ok
    with pytest.raises(PermissionDenied):
        area_split_preview(area=quarter, children=child, by=stranger)
    with pytest.raises(PermissionDenied):
        area_retire_preview(area=quarter, successors=[], by=stranger)


def test_managers_split_and_retire_their_own_areas_only(quarter):
    other = make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    manager = make_manager(quarter)
    west, _east = area_split(
        area=quarter,
        children=[
            {"name": "West", "boundary": rect(7.4, 51.4, 7.45, 51.5)},
            {"name": "Ost", "boundary": rect(7.45, 51.4, 7.5, 51.5)},
        ],
        by=manager,
    )
    with pytest.raises(PermissionDenied):
        area_split(
            area=other, children=[{"name": "N", "boundary": square(7.6, 51.4, 0.05)}], by=manager
        )
    with pytest.raises(PermissionDenied):
        area_retire(area=west, successors=[other], by=manager)  # a successor not theirs
    with pytest.raises(PermissionDenied):
        area_retire(area=other, by=manager)
    area_retire(area=west, successors=[_east], by=manager)
    assert not Area.objects.get(pk=west.pk).is_current
