""" "Meine Beiträge" closes the loop: own contributions with their status and every answer,
supports given (with where the idea stands now), comments, meeting registrations and mood
answers — only the account's own, in a fixed number of queries."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.feedback.models import MoodAnswer
from participation.ideas.models import Answer, Comment, IdeaStatus, ModerationLog, Support
from participation.meetings.models import Registration
from tests.factories import make_area, make_user, square
from tests.participation.helpers import ensure_topic, make_idea
from tests.participation.meeting_factories import make_meeting
from tests.participation.pages import text_of

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def answer(idea, text, status_to, status_from=IdeaStatus.PUBLISHED):
    Answer.objects.create(
        idea=idea,
        text=text,
        status_from=status_from,
        status_to=status_to,
        author_role="Quartiersmanagement",
    )
    idea.status = status_to
    idea.save(update_fields=["status"])


def contribute(user, area, *, number=None):
    """One of everything for `user`."""
    number = number or next(_numbers)
    mine = make_idea(area, title=f"Meine Idee {number}", author=user)
    answer(mine, f"Wir prüfen das ({number}).", IdeaStatus.UNDER_REVIEW)
    answer(mine, f"Ist eingeplant ({number}).", IdeaStatus.PLANNED, IdeaStatus.UNDER_REVIEW)
    other = make_idea(area, title=f"Fremde Idee {number}")
    answer(other, f"Umgesetzt ({number}).", IdeaStatus.REALISED, IdeaStatus.PLANNED)
    Support.objects.create(idea=other, user=user)
    Comment.objects.create(idea=other, author=user, text=f"Toll gemacht {number}!")
    meeting = make_meeting(area, title=f"Treffen {number}", capacity=5)
    Registration.objects.create(meeting=meeting, user=user, name="B", email="b@example.org")
    return mine, other, meeting


@pytest.fixture
def resident(client):
    ensure_topic()
    area = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    user = make_user("berta")
    client.force_login(user)
    return user, area


def test_each_contribution_with_its_status_and_answers(client, resident):
    user, area = resident
    mine, other, meeting = contribute(user, area, number=1)
    pending = make_idea(area, title="Wartet", author=user, status=IdeaStatus.PENDING)
    rejected = make_idea(area, title="Abgelehnt", author=user, status=IdeaStatus.REJECTED)
    ModerationLog.objects.create(idea=rejected, action="reject", note="Enthält eine Adresse.")
    waiting = make_meeting(area, title="Volles Treffen", capacity=1)
    Registration.objects.create(
        meeting=waiting, user=user, name="B", email="b@example.org", status="waiting"
    )
    MoodAnswer.objects.create(
        area=area, user=user, score=4, comment="Schön hier.", comment_status="pending"
    )
    someone = make_user("anna")
    make_idea(area, title="Annas Idee", author=someone)
    MoodAnswer.objects.create(area=area, user=someone, score=1, comment="Annas Kommentar")

    page = text_of(client.get(reverse("accounts:contributions")).content.decode())
    assert "Was ist mit meiner Idee passiert?" in page
    assert "Meine Idee 1" in page and "Wir prüfen das (1)." in page
    assert "Ist eingeplant (1)." in page
    assert "Wird geprüft → Geplant" in page and "Die Umsetzung ist geplant." in page
    assert pending.title in page and "Das Quartiersteam prüft Ihren Beitrag" in page
    assert "Begründung: Enthält eine Adresse." in page
    # supported by me: where it stands now, with its latest answer
    assert f"{other.title}" in page and "Neueste Antwort" in page and "Umgesetzt (1)." in page
    assert "Toll gemacht 1!" in page
    assert meeting.title in page and "angemeldet" in page
    assert "Volles Treffen" in page and "Warteliste" in page
    assert "4 von 5" in page and "Schön hier." in page and "wartet auf Freigabe" in page
    assert "Annas Idee" not in page and "Annas Kommentar" not in page
    # the overview counts what the sections list
    assert "2 Meine Anmeldungen zu Treffen" in page and "3 Meine Ideen" in page


def everything(user, area, times):
    """`times` of every kind of contribution, the newest of the ideas rejected."""
    for _ in range(times):
        contribute(user, area)
        MoodAnswer.objects.create(
            area=area, user=user, score=3, month=datetime.date(2020, 1, 1) + next(_months)
        )
    rejected = make_idea(area, title="Abgelehnt", author=user, status=IdeaStatus.REJECTED)
    ModerationLog.objects.create(idea=rejected, action="reject", note="Doppelt.")


_months = (datetime.timedelta(days=31 * n) for n in itertools.count())


def test_query_count_is_fixed_whatever_the_number_of_contributions(client, resident):
    user, area = resident
    everything(user, area, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:contributions"))
    everything(user, area, 40)
    with CaptureQueriesContext(connection) as many:
        page = text_of(client.get(reverse("accounts:contributions")).content.decode())
    assert len(many) == len(few)
    # the newest rows of each section, their number and a way to all of them
    assert len(re.findall(r"Meine Idee \d+", page)) == 4 and "Abgelehnt" in page  # newest 5
    assert "43 Meine Ideen" in page and "Alle 43 anzeigen" in page
    assert "41 Von mir unterstützt" in page and "Alle 41 anzeigen" in page


def test_every_contribution_is_reached_page_by_page(client, resident):
    user, area = resident
    everything(user, area, 1)
    url = reverse("accounts:contributions-section", kwargs={"slug": "unterstuetzt"})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    everything(user, area, 44)
    titles = set()
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as many:
            page = text_of(client.get(url, {"seite": number}).content.decode())
        assert len(many) == len(few)
        assert f"Seite {number} von 3" in page
        titles |= set(re.findall(r"Fremde Idee \d+", page))
    supported = Support.objects.filter(user=user).values_list("idea__title", flat=True)
    assert len(titles) == 45 and titles == set(supported)
    assert "Abgelehnt" not in page  # the section's rows only


def test_section_pages_are_the_accounts_own(client, resident):
    user, area = resident
    contribute(user, area, number=7)
    someone = make_user("anna")
    contribute(someone, area, number=8)
    page = text_of(
        client.get(reverse("accounts:contributions-section", args=["kommentare"])).content.decode()
    )
    assert "Toll gemacht 7!" in page and "Toll gemacht 8!" not in page
    assert (
        client.get(reverse("accounts:contributions-section", args=["gibt-es-nicht"])).status_code
        == 404
    )
    client.logout()
    response = client.get(reverse("accounts:contributions-section", args=["kommentare"]))
    assert response.status_code == 302


def test_unconfirmed_idea_asks_to_confirm(client, resident):
    user, area = resident
    make_idea(area, title="Ohne Bestätigung", author=user, confirmed_at=None, status="pending")
    page = text_of(client.get(reverse("accounts:contributions")).content.decode())
    assert "Noch nicht bestätigt" in page


def test_past_meeting_says_whether_minutes_are_online(client, resident):
    user, area = resident
    past = make_meeting(area, title="Vorbei", days=-3, status="held", minutes="Protokoll …")
    Registration.objects.create(meeting=past, user=user, name="B", email="b@example.org")
    page = text_of(client.get(reverse("accounts:contributions")).content.decode())
    assert "Vergangen" in page and "Vorbei" in page and "Protokoll online" in page
