import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participation.meetings.models import Meeting, Registration
from participation.meetings.services import registration_create
from tests.factories import make_area, make_coordination, make_manager, make_user

from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    south = make_area("Südstadt")
    sub = make_area("Am Park", parent=south)
    north = make_area("Nordstadt")
    return {
        "south": south,
        "sub": sub,
        "north": north,
        "mine": make_meeting(sub, title="Mein Treffen", capacity=1),
        "other": make_meeting(north, title="Fremdes Treffen"),
        "manager": make_manager(south),
    }


def test_manager_sees_only_meetings_of_their_areas(client, setup):
    client.force_login(setup["manager"])
    page = client.get(reverse("admin:participation_meeting_changelist")).content.decode()
    assert "Mein Treffen" in page and "Fremdes Treffen" not in page
    own = client.get(reverse("admin:participation_meeting_change", args=[setup["mine"].pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:participation_meeting_change", args=[setup["other"].pk]))
    assert other.status_code == 302  # the admin's "does not exist" redirect: found nothing
    assert other.url == reverse("admin:index")


def test_manager_area_choices_are_limited(client, setup):
    client.force_login(setup["manager"])
    page = client.get(reverse("admin:participation_meeting_add")).content.decode()
    assert "Am Park" in page and "Nordstadt" not in page


def test_manager_cannot_save_a_meeting_into_another_area(client, setup):
    client.force_login(setup["manager"])
    meeting = setup["mine"]
    url = reverse("admin:participation_meeting_change", args=[meeting.pk])
    response = client.post(
        url,
        {
            "title": meeting.title,
            "area": setup["north"].pk,
            "kind": "talk",
            "status": "planned",
            "address": "Hier",
            "starts_at_0": meeting.starts_at.strftime("%d.%m.%Y"),
            "starts_at_1": "10:00:00",
            "ends_at_0": meeting.starts_at.strftime("%d.%m.%Y"),
            "ends_at_1": "12:00:00",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # form error, not saved
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["area"]
    meeting.refresh_from_db()
    assert meeting.area == setup["sub"]


def test_manager_registrations_scoped(client, setup):
    mine = registration_create(meeting=setup["mine"], name="Meine", email="m@example.org")
    other = registration_create(meeting=setup["other"], name="Fremde", email="f@example.org")
    client.force_login(setup["manager"])
    page = client.get(reverse("admin:participation_registration_changelist")).content.decode()
    assert "Meine" in page and "Fremde" not in page
    url = reverse("admin:participation_registration_change", args=[other.pk])
    assert client.get(url).status_code == 302
    url = reverse("admin:participation_registration_change", args=[mine.pk])
    assert client.get(url).status_code == 200


def test_resident_and_visitor_have_no_admin(client, setup):
    url = reverse("admin:participation_meeting_changelist")
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 302  # not staff: the admin's login page
    staff_without_area = make_user(is_staff=True)
    client.force_login(staff_without_area)
    assert client.get(url).status_code == 403


def test_participant_csv_scoped_and_formula_safe(client, setup):
    meeting = setup["mine"]
    registration_create(
        meeting=meeting, name='=HYPERLINK("http://evil")', email="a@example.org", note="@SUM(1)"
    )
    registration_create(meeting=meeting, name="-Wartende", email="b@example.org")
    client.force_login(setup["manager"])
    url = reverse("admin:participation_meeting_participants", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Name"
    names = {row[1] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil")', "'-Wartende"}
    assert rows[1][4] == "'@SUM(1)"
    other = reverse("admin:participation_meeting_participants", args=[setup["other"].pk])
    assert client.get(other).status_code == 404


def test_cancel_action_mails_everyone(client, setup, django_capture_on_commit_callbacks):
    meeting = setup["mine"]
    registration_create(meeting=meeting, name="A", email="a@example.org")
    registration_create(meeting=meeting, name="B", email="b@example.org")
    mail.outbox.clear()
    client.force_login(setup["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:participation_meeting_changelist"),
            {"action": "cancel_meetings", "_selected_action": [meeting.pk, setup["other"].pk]},
        )
    meeting.refresh_from_db()
    setup["other"].refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert setup["other"].status == Meeting.Status.PLANNED  # not theirs: untouched
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_cancel_registration_action_moves_waiting_up(client, setup):
    meeting = setup["mine"]
    first = registration_create(meeting=meeting, name="A", email="a@example.org")
    waiting = registration_create(meeting=meeting, name="B", email="b@example.org")
    client.force_login(setup["manager"])
    client.post(
        reverse("admin:participation_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [first.pk]},
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_coordination_sees_everything(client, setup):
    client.force_login(make_coordination())
    page = client.get(reverse("admin:participation_meeting_changelist")).content.decode()
    assert "Mein Treffen" in page and "Fremdes Treffen" in page


def test_manager_sees_registrations_inline_and_only_own_areas_in_filter(client, setup):
    registration_create(meeting=setup["mine"], name="Inline-Person", email="i@example.org")
    client.force_login(setup["manager"])
    page = client.get(
        reverse("admin:participation_meeting_change", args=[setup["mine"].pk])
    ).content.decode()
    assert "Inline-Person" in page
    page = client.get(reverse("admin:participation_meeting_changelist")).content.decode()
    assert "Nordstadt" not in page


def test_setting_status_cancelled_in_the_form_mails_everyone(
    client, setup, django_capture_on_commit_callbacks
):
    meeting = setup["mine"]
    registration_create(meeting=meeting, name="A", email="a@example.org")
    mail.outbox.clear()
    client.force_login(setup["manager"])
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:participation_meeting_change", args=[meeting.pk]),
            {
                "title": meeting.title,
                "area": meeting.area_id,
                "kind": "talk",
                "status": "cancelled",
                "address": "Hier",
                "languages": "Deutsch",
                "starts_at_0": start.strftime("%d.%m.%Y"),
                "starts_at_1": start.strftime("%H:%M:%S"),
                "ends_at_0": end.strftime("%d.%m.%Y"),
                "ends_at_1": end.strftime("%H:%M:%S"),
                "registrations-TOTAL_FORMS": "1",
                "registrations-INITIAL_FORMS": "1",
                "registrations-MIN_NUM_FORMS": "0",
                "registrations-MAX_NUM_FORMS": "1000",
                "registrations-0-id": str(Registration.objects.get().pk),
                "registrations-0-meeting": str(meeting.pk),
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert [m.to[0] for m in mail.outbox] == ["a@example.org"]
