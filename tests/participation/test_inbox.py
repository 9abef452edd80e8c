"""The back office's inbox (/verwaltung/): exact counts per role, links that show the same
items, a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import JoinRequest
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Answer, Comment, Flag, IdeaStatus
from participation.meetings.inbox import this_week
from participation.meetings.models import Registration
from tests.factories import make_area, make_coordination, make_manager, make_user, square

from .helpers import make_idea, two_areas
from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db
INBOX = reverse("admin:index")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def add_waiting(area, *, tag=""):
    """Everything that waits, once, in `area`; returns the expected counts per row."""
    make_idea(area, status=IdeaStatus.PENDING, title=f"Wartet {tag}")
    make_idea(area, status=IdeaStatus.PENDING, title=f"Unbestätigt {tag}", confirmed_at=None)
    reported = make_idea(area, title=f"Gemeldet {tag}")
    for key in ("a", "b"):
        Flag.objects.create(idea=reported, reporter_key=f"{key}{tag}", reason="Spam")
    decided = make_idea(area, title=f"Entschieden {tag}")
    Flag.objects.create(idea=decided, reporter_key="c", reason="x", resolved_at=timezone.now())
    comment = Comment.objects.create(idea=reported, text="Hm", author=make_user())
    Flag.objects.create(idea=reported, comment=comment, reporter_key="d", reason="Beleidigung")
    MoodAnswer.objects.create(area=area, score=2, comment="Laut", comment_status="pending")
    MoodAnswer.objects.create(area=area, score=4, comment="Schön", comment_status="rejected")
    make_idea(area, title=f"Überfällig {tag}", published_at=days_ago(20))
    answered = make_idea(area, title=f"Beantwortet {tag}", published_at=days_ago(20))
    Answer.objects.create(
        idea=answered, text="Ja", status_from="published", status_to="published", author_role="QM"
    )
    make_idea(area, title=f"Frisch {tag}", published_at=days_ago(5))
    start, _end = this_week()
    meeting = make_meeting(
        area,
        title=f"Stadtteilgespräch {tag}",
        starts_at=start + datetime.timedelta(hours=10),
        ends_at=start + datetime.timedelta(hours=12),
        capacity=2,
    )
    Registration.objects.create(meeting=meeting, name="Ida", email="i@example.org", people=2)
    Registration.objects.create(
        meeting=meeting, name="Ole", email="o@example.org", status="waiting"
    )
    make_meeting(area, days=40)
    make_meeting(
        area,
        starts_at=start + datetime.timedelta(hours=14),
        ends_at=start + datetime.timedelta(hours=15),
        status="cancelled",
    )
    return {
        "ideas-pending": 1,
        "ideas-reported": 1,
        "comments-reported": 1,
        "mood-comments": 1,
        "ideas-answer-due": 1,
        "meetings-week": 1,
    }


@pytest.fixture
def city():
    north, south = two_areas()
    north_east = make_area("Nordstadt-Ost", parent=north, boundary=square(7.465, 51.515, 0.004))
    expected = {}
    for area in (north, north_east, south):
        expected[area.name] = add_waiting(area, tag=area.name)
    JoinRequest.objects.create(
        organisation_name="Chor",
        kind="association",
        description="Wir singen.",
        contact_name="Ana",
        contact_email="ana@example.org",
        consent=True,
    )
    JoinRequest.objects.create(
        organisation_name="Alt",
        kind="association",
        description="x",
        contact_name="B",
        contact_email="b@example.org",
        consent=True,
        status="accepted",
    )
    return north, north_east, south, expected


def inbox_counts(response):
    inbox = response.context["inbox"]
    counts = {
        (area.name, item.key): item.count
        for quarter in inbox.quarters
        for area in quarter.areas
        for item in area.items
    }
    counts.update({("*", item.key): item.count for item in inbox.general})
    return counts


def expected_counts(expected, *areas):
    return {(area, key): count for area in areas for key, count in expected[area].items()}


def test_visitor_and_resident_are_sent_to_log_in(client, city):
    response = client.get(INBOX)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user())
    response = client.get(INBOX)
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_without_areas_has_no_inbox(client, city):
    client.force_login(make_user(is_staff=True))
    response = client.get(INBOX)
    assert response.status_code == 200
    assert response.context["inbox"] is None


def test_manager_of_the_north_sees_north_only(client, city):
    north, north_east, south, expected = city
    client.force_login(make_manager(north))
    response = client.get(INBOX)
    assert inbox_counts(response) == expected_counts(expected, "Nordstadt", "Nordstadt-Ost")
    inbox = response.context["inbox"]
    assert [quarter.name for quarter in inbox.quarters] == ["Nordstadt"]  # sub-area grouped
    html = response.content.decode()
    assert "Wartet Südstadt" not in html and "Stadtteilgespräch Südstadt" not in html
    assert "Stadtteilgespräch Nordstadt" in html  # this week's meeting, with its list
    assert "2 von 2 Plätzen belegt" in html and "1 auf der Warteliste" in html


def test_manager_of_the_south_sees_south_only(client, city):
    _north, _north_east, south, expected = city
    client.force_login(make_manager(south))
    assert inbox_counts(client.get(INBOX)) == expected_counts(expected, "Südstadt")


def test_coordination_sees_every_area_grouped_by_quarter_and_join_requests(client, city):
    *_areas, expected = city
    client.force_login(make_coordination())
    response = client.get(INBOX)
    counts = expected_counts(expected, "Nordstadt", "Nordstadt-Ost", "Südstadt")
    counts[("*", "join-requests")] = 1
    assert inbox_counts(response) == counts
    quarters = response.context["inbox"].quarters
    assert [q.name for q in quarters] == ["Nordstadt", "Südstadt"]
    assert [a.name for a in quarters[0].areas] == ["Nordstadt", "Nordstadt-Ost"]  # quarter first
    html = response.content.decode()
    assert "Nordstadt (das ganze Quartier)" in html and "<h4>Nordstadt-Ost</h4>" in html
    assert reverse("participation:reports") in html and 'href="/"' in html
    assert "Alle Bereiche der Verwaltung" in html  # Django's model list stays below


@pytest.mark.parametrize("role", ["manager", "coordination"])
def test_each_link_lists_exactly_the_counted_items(client, city, role):
    north, *_rest = city
    client.force_login(make_manager(north) if role == "manager" else make_coordination())
    inbox = client.get(INBOX).context["inbox"]
    items = [item for q in inbox.quarters for a in q.areas for item in a.items] + inbox.general
    assert len(items) >= 6
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.url


def test_oldest_first_and_since(client, city):
    north, *_rest = city
    client.force_login(make_manager(north))
    inbox = client.get(INBOX).context["inbox"]
    for quarter in inbox.quarters:
        for area in quarter.areas:
            dates = [item.since for item in area.items]
            assert dates == sorted(dates)


def test_answer_due_days_is_a_setting(client, city, settings):
    north, *_rest = city
    settings.ANSWER_DUE_DAYS = 30
    client.force_login(make_manager(north))
    assert ("Nordstadt", "ideas-answer-due") not in inbox_counts(client.get(INBOX))


@pytest.mark.parametrize("role", ["manager", "coordination"])
def test_fixed_number_of_queries(client, role, django_assert_num_queries):
    north, south = two_areas()
    user = make_manager(north) if role == "manager" else make_coordination()
    client.force_login(user)
    add_waiting(north, tag="1")
    client.get(INBOX)  # content types and sessions warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    expected = len(few)
    for number in range(2, 6):
        add_waiting(north, tag=str(number))
        add_waiting(south, tag=str(number))
        add_waiting(make_area(f"Gebiet {number}", parent=north), tag=f"x{number}")
    client.get(INBOX)  # the cached area tree is built again once after the new areas
    with django_assert_num_queries(expected):
        response = client.get(INBOX)
    assert response.status_code == 200


def test_nothing_waits(client):
    north, _south = two_areas()
    client.force_login(make_manager(north))
    response = client.get(INBOX)
    assert "Gerade wartet nichts auf Sie." in response.content.decode()
