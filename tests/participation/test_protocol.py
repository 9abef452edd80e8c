"""The admin's "Protokoll": decisions and changed rows of every staff action, readable in
German and English, scoped to the reader's areas, filterable, a fixed number of queries."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.services import area_split
from network.models import JoinRequest
from network.services import joinrequest_accept
from participation.feedback.models import MoodAnswer
from participation.feedback.services import mood_comment_moderate
from participation.ideas import services
from participation.ideas.models import IdeaStatus, ModerationLog
from participation.meetings.models import Registration
from tests.factories import make_coordination, make_manager, make_user, square

from .helpers import make_idea, two_areas
from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db
PROTOCOL = reverse("admin:participation_moderationlog_changelist")


def actions(response):
    return [(row.action, row.subject) for row in response.context["rows"]]


@pytest.fixture
def city():
    north, south = two_areas()
    return north, south, make_manager(north), make_manager(south), make_coordination()


def test_staff_actions_of_every_kind_are_in_the_log(client, city):
    north, south, north_manager, south_manager, coordination = city
    idea = make_idea(north, status=IdeaStatus.PENDING, title="Bänke")
    services.idea_publish(idea=idea, by=north_manager, answer_text="Gute Idee")
    mood = MoodAnswer.objects.create(area=north, score=2, comment="Laut", comment_status="pending")
    mood_comment_moderate(answer=mood, publish=True, by=north_manager)
    meeting = make_meeting(north, title="Stadtteilgespräch")
    registration = Registration.objects.create(meeting=meeting, name="Ida", email="i@example.org")
    client.force_login(north_manager)
    response = client.post(
        reverse("admin:participation_registration_change", args=[registration.pk]),
        {"name": "Ida B.", "email": "i@example.org", "note": "", "status": "cancelled"},
    )
    assert response.status_code == 302
    client.get(reverse("participation:report-xlsx"))
    join_request = JoinRequest.objects.create(
        organisation_name="Chor",
        kind="association",
        description="Wir singen.",
        contact_name="Ana",
        contact_email="ana@example.org",
        consent=True,
    )
    join_request.areas.add(north)
    with set_actor(coordination):
        joinrequest_accept(join_request=join_request, by=coordination)
        area_split(
            area=north,
            children=[
                {"name": "Nord-West", "boundary": square(7.46, 51.51, 0.005)},
                {"name": "Nord-Ost", "boundary": square(7.465, 51.51, 0.005)},
            ],
            by=coordination,
        )
    client.force_login(coordination)
    rows = actions(client.get(PROTOCOL))
    for expected in [
        ("Veröffentlicht", "Bänke"),
        ("Beantwortet", "Bänke"),
        ("Stimmungs-Kommentar veröffentlicht", ""),
        ("Anmeldung geändert", "Ida B. – Stadtteilgespräch"),
        ("Bericht heruntergeladen", ""),
        ("Aufnahmeanfrage geändert", "Chor"),
        ("Netzwerkpartner angelegt", "Chor"),
        ("Gebiet angelegt", "Nord-West"),
    ]:
        assert expected in rows, expected
    registration_row = next(
        row
        for row in client.get(PROTOCOL).context["rows"]
        if row.subject.startswith("Ida B.") and row.details
    )
    assert registration_row.actor == north_manager
    assert ("Status", "angemeldet → abgemeldet") in registration_row.details
    assert registration_row.areas == ["Nordstadt"]


def test_residents_changes_are_not_logged(client, city):
    north, *_rest = city
    meeting = make_meeting(north)
    client.force_login(make_user())
    client.post(meeting.get_absolute_url(), {"name": "Ida", "email": "i@example.org", "people": 1})
    assert not LogEntry.objects.filter(content_type__model="registration").exists()


def test_manager_sees_own_areas_and_own_entries_only(client, city):
    north, south, north_manager, south_manager, coordination = city
    services.idea_publish(idea=make_idea(north, status="pending", title="Nord"), by=north_manager)
    services.idea_publish(idea=make_idea(south, status="pending", title="Süd"), by=south_manager)
    ModerationLog.objects.create(actor=north_manager, action="report_export", note="XLSX")
    client.force_login(north_manager)
    rows = actions(client.get(PROTOCOL))
    assert ("Veröffentlicht", "Nord") in rows and ("Veröffentlicht", "Süd") not in rows
    assert ("Bericht heruntergeladen", "") in rows  # own entry without an area
    client.force_login(south_manager)
    rows = actions(client.get(PROTOCOL))
    assert ("Veröffentlicht", "Süd") in rows and ("Veröffentlicht", "Nord") not in rows
    assert ("Bericht heruntergeladen", "") not in rows
    client.force_login(coordination)
    rows = actions(client.get(PROTOCOL))
    assert ("Veröffentlicht", "Nord") in rows and ("Veröffentlicht", "Süd") in rows


def test_filters_by_area_person_and_date(client, city):
    north, south, north_manager, south_manager, coordination = city
    services.idea_publish(idea=make_idea(north, status="pending", title="Nord"), by=north_manager)
    services.idea_publish(idea=make_idea(south, status="pending", title="Süd"), by=coordination)
    old = ModerationLog.objects.create(actor=coordination, action="hide", area=south, note="alt")
    ModerationLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(coordination)
    rows = actions(client.get(PROTOCOL, {"gebiet": south.pk}))
    assert ("Veröffentlicht", "Süd") in rows and ("Veröffentlicht", "Nord") not in rows
    rows = actions(client.get(PROTOCOL, {"person": north_manager.pk}))
    assert rows == [("Veröffentlicht", "Nord")]
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    rows = actions(client.get(PROTOCOL, {"von": since, "person": coordination.pk}))
    assert ("Ausgeblendet", "") not in rows and ("Veröffentlicht", "Süd") in rows
    for hostile in ({"von": "gestern"}, {"gebiet": "abc"}, {"person": "-1"}, {"seite": "x"}):
        assert client.get(PROTOCOL, hostile).status_code == 200
    client.force_login(north_manager)  # another manager's area is no choice: all of one's own
    rows = actions(client.get(PROTOCOL, {"gebiet": south.pk}))
    assert ("Veröffentlicht", "Süd") not in rows


def test_english(client, city):
    north, _south, north_manager, *_rest = city
    services.idea_publish(idea=make_idea(north, status="pending", title="Nord"), by=north_manager)
    meeting = make_meeting(north)
    with set_actor(north_manager):
        meeting.capacity = 12
        meeting.save()
    client.force_login(north_manager)
    response = client.get("/en" + PROTOCOL)
    html = response.content.decode()
    assert "Published" in html and "Meetings changed" in html and "Places" in html
    assert "Veröffentlicht" not in html


@pytest.mark.parametrize("role", ["manager", "coordination"])
def test_fixed_number_of_queries(client, city, role, django_assert_num_queries):
    north, south, north_manager, south_manager, coordination = city
    user = north_manager if role == "manager" else coordination

    def add(number):
        idea = make_idea(north, status="pending", title=f"Idee {number}")
        services.idea_publish(idea=idea, by=north_manager, answer_text="Danke")
        with set_actor(user):
            meeting = make_meeting(north)
            meeting.capacity = number + 1
            meeting.save()
            registration = Registration.objects.create(
                meeting=meeting, name=f"Ida {number}", email="i@example.org"
            )
            registration.status = "cancelled"
            registration.save()

    add(1)
    client.force_login(user)
    client.get(PROTOCOL)
    with CaptureQueriesContext(connection) as few:
        client.get(PROTOCOL)
    for number in range(2, 30):
        add(number)
    with django_assert_num_queries(len(few)):
        assert client.get(PROTOCOL).status_code == 200


def test_an_area_import_by_command_is_in_the_log_without_an_actor(client):
    from pathlib import Path

    from django.core.management import call_command

    from neighbourhoods.models import Area

    districts = Path(__file__).resolve().parents[1] / "data" / "stadtbezirke.geojson"
    call_command(
        "import_areas", str(districts), "--kind", "quarter", "--name-property", "STADTBEZIRK"
    )
    imported = Area.objects.count()
    assert imported > 0
    client.force_login(make_coordination())
    rows = client.get(PROTOCOL).context["rows"]
    created = [row for row in rows if row.action == "Gebiet angelegt"]
    assert len(created) == imported and all(row.actor is None for row in created)
    assert "<td>System</td>" in client.get(PROTOCOL).content.decode()
