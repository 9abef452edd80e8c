"""Contributions from a meeting entered in one go (the meeting's admin page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.ideas.models import Idea, IdeaStatus, ModerationLog
from participation.topics.models import Topic
from tests.factories import make_coordination, make_manager, make_user

from .helpers import ensure_topic, two_areas
from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db


def collect_url(meeting, rows=None):
    url = reverse("admin:participation_meeting_collect", args=[meeting.pk])
    return f"{url}?zeilen={rows}" if rows else url


def rows_data(rows, *, total=5, channel="paper"):
    data = {
        "channel": channel,
        "beitrag-TOTAL_FORMS": str(total),
        "beitrag-INITIAL_FORMS": "0",
        "beitrag-MIN_NUM_FORMS": "0",
        "beitrag-MAX_NUM_FORMS": "50",
    }
    for number in range(total):
        data[f"beitrag-{number}-kind"] = "idea"
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"beitrag-{number}-{key}"] = value
    return data


@pytest.fixture
def past_meeting():
    north, south = two_areas()
    meeting = make_meeting(north, days=-1)
    return north, south, meeting


def three_rows():
    topic = ensure_topic()
    return [
        {"kind": "idea", "title": "Mehr Bäume", "text": "An der Hauptstraße", "topic": topic.pk},
        {"kind": "strength", "title": "Der Markt", "text": "Samstags", "topic": topic.pk},
        {"kind": "weakness", "title": "Dunkle Ecke", "text": "Am Bahnhof", "topic": topic.pk},
    ]


def test_three_contributions_are_published_and_shown_on_the_meeting_page(client, past_meeting):
    north, _south, meeting = past_meeting
    manager = make_manager(north)
    client.force_login(manager)
    page = client.get(reverse("admin:participation_meeting_change", args=[meeting.pk]))
    assert collect_url(meeting) in page.content.decode()
    assert client.get(collect_url(meeting)).status_code == 200
    response = client.post(collect_url(meeting), rows_data(three_rows()))
    assert response.status_code == 302
    ideas = Idea.objects.filter(meeting=meeting).order_by("pk")
    assert [idea.kind for idea in ideas] == ["idea", "strength", "weakness"]
    for idea in ideas:
        assert idea.status == IdeaStatus.PUBLISHED and idea.channel == "paper"
        assert idea.author is None and idea.author_email == "" and idea.area == north
        assert idea.is_public
    assert ModerationLog.objects.filter(action="enter").count() == 3
    assert ModerationLog.objects.filter(action="publish").count() == 3
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mehr Bäume" in html and "Der Markt" in html and "Dunkle Ecke" in html


def test_all_or_nothing(client, past_meeting):
    north, _south, meeting = past_meeting
    client.force_login(make_manager(north))
    rows = three_rows()
    rows[2]["title"] = ""  # one bad row
    response = client.post(collect_url(meeting), rows_data(rows))
    assert response.status_code == 200
    assert not Idea.objects.exists()
    html = response.content.decode()
    assert "Mehr Bäume" in html  # what was typed stays
    assert "errorlist" in html


def test_empty_rows_are_skipped_and_at_least_one_is_needed(client, past_meeting):
    north, _south, meeting = past_meeting
    client.force_login(make_manager(north))
    response = client.post(collect_url(meeting), rows_data([]))
    assert response.status_code == 200
    assert "mindestens einen Beitrag" in response.content.decode()
    response = client.post(collect_url(meeting), rows_data(three_rows()[:1]))
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_more_rows_and_a_hostile_row_count(client, past_meeting):
    north, _south, meeting = past_meeting
    client.force_login(make_manager(north))
    assert client.get(collect_url(meeting, 20)).context["formset"].total_form_count() == 20
    assert client.get(collect_url(meeting, 10**9)).context["formset"].total_form_count() == 50
    assert client.get(collect_url(meeting, "x")).status_code == 200
    data = rows_data(three_rows())
    data["beitrag-TOTAL_FORMS"] = str(10**6)
    response = client.post(collect_url(meeting), data)
    assert response.status_code == 200
    assert not Idea.objects.exists()


def test_inactive_topic_and_bad_kind_are_refused(client, past_meeting):
    north, _south, meeting = past_meeting
    client.force_login(make_manager(north))
    hidden = Topic.objects.create(name="Alt", slug="alt", is_active=False)
    rows = three_rows()
    rows[0]["topic"] = hidden.pk
    rows[1]["kind"] = "<script>"
    response = client.post(collect_url(meeting), rows_data(rows))
    assert response.status_code == 200 and not Idea.objects.exists()


def test_future_or_cancelled_meetings_take_no_contributions(client):
    north, _south = two_areas()
    client.force_login(make_manager(north))
    for meeting in (make_meeting(north, days=3), make_meeting(north, days=-2, status="cancelled")):
        response = client.post(collect_url(meeting), rows_data(three_rows()))
        assert response.status_code == 200
        assert "begonnen hat" in response.content.decode()
    assert not Idea.objects.exists()


def test_scoped_to_the_managers_areas(client, past_meeting):
    north, south, meeting = past_meeting
    client.force_login(make_manager(south))
    assert client.get(collect_url(meeting)).status_code == 404
    assert client.post(collect_url(meeting), rows_data(three_rows())).status_code == 404
    client.force_login(make_user())
    assert client.post(collect_url(meeting), rows_data(three_rows())).status_code == 302
    client.force_login(make_user(is_staff=True))
    assert client.post(collect_url(meeting), rows_data(three_rows())).status_code == 403
    assert not Idea.objects.exists()
    client.force_login(make_coordination())
    assert client.post(collect_url(meeting), rows_data(three_rows())).status_code == 302
    assert Idea.objects.count() == 3


def test_meeting_already_started_today_counts(client):
    north, _south = two_areas()
    now = timezone.now()
    meeting = make_meeting(
        north,
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
    )
    client.force_login(make_manager(north))
    assert client.post(collect_url(meeting), rows_data(three_rows())).status_code == 302
