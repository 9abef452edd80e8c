import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from participation.meetings.models import Meeting, Registration
from participation.meetings.services import meeting_cancel, registration_cancel, registration_create
from tests.factories import make_area

from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return make_area("Südstadt")


def sign_up(meeting, n, people=1, capture=None):
    return registration_create(
        meeting=meeting, name=f"Person {n}", email=f"p{n}@example.org", people=people
    )


def test_confirmed_up_to_capacity_then_waiting_list(area, django_capture_on_commit_callbacks):
    meeting = make_meeting(area, capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(meeting, 1, people=2)
        second = sign_up(meeting, 2)
        third = sign_up(meeting, 3)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    meeting = Meeting.objects.with_counts().get(pk=meeting.pk)
    assert meeting.confirmed_people == 3
    assert meeting.places_left == 0
    assert meeting.waiting_people == 1
    assert len(mail.outbox) == 3
    confirmation = mail.outbox[0]
    assert "p1@example.org" in confirmation.to
    assert first.cancel_token in confirmation.body
    filename, content, mimetype = confirmation.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title
    assert "Warteliste" in mail.outbox[2].subject


def test_while_someone_waits_a_smaller_group_does_not_jump_the_queue(area):
    meeting = make_meeting(area, capacity=3)
    sign_up(meeting, 1, people=2)
    assert sign_up(meeting, 2, people=2).status == "waiting"
    assert sign_up(meeting, 3, people=1).status == "waiting"


def test_group_larger_than_capacity_is_refused(area):
    meeting = make_meeting(area, capacity=2)
    with pytest.raises(ValidationError):
        sign_up(meeting, 1, people=3)
    assert not Registration.objects.exists()


def test_no_limit_means_everyone_is_confirmed(area):
    meeting = make_meeting(area, capacity=None)
    assert all(sign_up(meeting, n, people=10).status == "confirmed" for n in range(5))


@pytest.mark.parametrize("people", [0, 11, -1])
def test_people_count_out_of_range_is_refused(area, people):
    with pytest.raises(ValidationError):
        sign_up(make_meeting(area), 1, people=people)


def test_no_sign_up_for_past_or_cancelled_meetings(area):
    with pytest.raises(ValidationError):
        sign_up(make_meeting(area, days=-2), 1)
    with pytest.raises(ValidationError):
        sign_up(make_meeting(area, status=Meeting.Status.CANCELLED), 1)


def test_cancelling_moves_up_waiting_in_order_while_they_fit(
    area, django_capture_on_commit_callbacks
):
    meeting = make_meeting(area, capacity=4)
    big = sign_up(meeting, 1, people=3)
    sign_up(meeting, 2, people=1)
    waiting_a = sign_up(meeting, 3, people=2)
    waiting_b = sign_up(meeting, 4, people=1)
    waiting_c = sign_up(meeting, 5, people=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _cancelled, moved = registration_cancel(registration=big)
    assert moved == [waiting_a, waiting_b]
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[big.pk] == "cancelled"
    assert statuses[waiting_a.pk] == statuses[waiting_b.pk] == "confirmed"
    assert statuses[waiting_c.pk] == "waiting"
    assert sorted(m.to[0] for m in mail.outbox) == ["p3@example.org", "p4@example.org"]
    assert all(m.attachments for m in mail.outbox)
    assert Meeting.objects.with_counts().get(pk=meeting.pk).confirmed_people == 4


def test_first_in_line_is_not_overtaken(area):
    meeting = make_meeting(area, capacity=2)
    one = sign_up(meeting, 1, people=1)
    sign_up(meeting, 2, people=1)
    first = sign_up(meeting, 3, people=2)
    second = sign_up(meeting, 4, people=1)
    _cancelled, moved = registration_cancel(registration=one)
    assert moved == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "waiting"


def test_cancelling_twice_changes_nothing(area):
    registration = sign_up(make_meeting(area, capacity=2), 1)
    registration_cancel(registration=registration)
    _again, moved = registration_cancel(registration=registration)
    assert moved == []


def test_cancelled_meeting_mails_everyone_registered_and_waiting(
    area, django_capture_on_commit_callbacks
):
    meeting = make_meeting(area, capacity=1)
    sign_up(meeting, 1)
    sign_up(meeting, 2)
    gone = sign_up(meeting, 3)
    registration_cancel(registration=gone)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting)
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.org", "p2@example.org"]
    assert all("Abgesagt" in m.subject for m in mail.outbox)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
