"""Every figure agrees wherever it is shown: places of a meeting, supports of an idea, an area's
contributions and mood — on the lists, detail pages, the area page, the home page and
"Meine Beiträge". A retired area's page is a history page whose sections count alike."""

import datetime
import re

import pytest
from django.utils import timezone

from neighbourhoods.models import Area
from participation.feedback.models import MoodAnswer
from participation.ideas.models import IdeaKind, IdeaStatus, Support
from participation.meetings.models import Meeting, Registration
from tests.factories import make_area, make_user, square
from tests.participation.helpers import ensure_topic, make_idea
from tests.participation.meeting_factories import make_meeting
from tests.participation.pages import card_of, text_of

pytestmark = pytest.mark.django_db


def register(meeting, count, *, status, people=1):
    for number in range(count):
        Registration.objects.create(
            meeting=meeting,
            name=f"Person {number}",
            email=f"p{meeting.pk}-{status}-{number}@example.org",
            people=people,
            status=status,
        )


@pytest.fixture
def city():
    ensure_topic()
    quarter = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    full = make_meeting(quarter, title="Workshop Spielplatz", capacity=6, days=3)
    register(full, 3, status=Registration.Status.CONFIRMED, people=2)
    register(full, 7, status=Registration.Status.WAITING)
    roomy = make_meeting(quarter, title="Stadtteilgespräch Verkehr", capacity=40, days=5)
    register(roomy, 2, status=Registration.Status.CONFIRMED, people=2)
    return quarter, full, roomy


def meeting_pages(client, quarter):
    return {
        "meeting list": client.get("/treffen/").content.decode(),
        "area page": client.get(quarter.get_absolute_url()).content.decode(),
        "home page": client.get("/").content.decode(),
    }


def test_places_agree_on_every_page(client, city):
    quarter, full, roomy = city
    for place, html in meeting_pages(client, quarter).items():
        full_card = card_of(html, full.title)
        assert "ausgebucht – Warteliste (7 warten)" in full_card, place
        assert "frei" not in full_card, place
        assert "noch 36 Plätze frei" in card_of(html, roomy.title), place

    detail = text_of(client.get(full.get_absolute_url()).content.decode())
    assert "0 von 6 frei · 7 Personen auf der Warteliste" in detail
    assert "Auf die Warteliste" in detail and "Verbindlich anmelden" not in detail
    detail = text_of(client.get(roomy.get_absolute_url()).content.decode())
    assert "36 von 40 frei" in detail and "Verbindlich anmelden" in detail


def test_someone_waiting_means_full_even_with_a_free_place(client, city):
    quarter, full, _roomy = city
    Registration.objects.filter(meeting=full, status="confirmed").first().delete()  # 2 free
    Registration.objects.filter(meeting=full, status="waiting").update(people=3)
    html = client.get("/treffen/").content.decode()
    assert "ausgebucht – Warteliste" in card_of(html, full.title)
    detail = text_of(client.get(full.get_absolute_url()).content.decode())
    assert "2 von 6 frei" in detail and "Auf die Warteliste" in detail


def test_places_without_counts_fail_loudly():
    quarter = make_area("Oststadt")
    meeting = make_meeting(quarter, capacity=5)
    with pytest.raises(RuntimeError, match="with_counts"):
        _ = Meeting.objects.get(pk=meeting.pk).places_left
    assert Meeting.objects.with_counts().get(pk=meeting.pk).places_left == 5


def test_support_counts_agree(client):
    ensure_topic()
    quarter = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    strength = make_idea(quarter, title="Der Wochenmarkt", kind=IdeaKind.STRENGTH)
    for number in range(3):
        Support.objects.create(idea=strength, user=make_user(f"fan{number}"))
    strength.support_count = 3
    strength.save(update_fields=["support_count"])
    pages = {
        "idea list": client.get("/ideen/").content.decode(),
        "home page": client.get("/").content.decode(),
    }
    for place, html in pages.items():
        assert "3 Unterstützungen" in card_of(html, strength.title), place
    detail = text_of(client.get(strength.get_absolute_url()).content.decode())
    assert "3 Personen unterstützen diesen Beitrag" in detail
    area_page = text_of(client.get(quarter.get_absolute_url()).content.decode())
    assert "Der Wochenmarkt (3 Unterstützungen)" in area_page
    client.force_login(Support.objects.first().user)  # "Meine Beiträge" of a supporter
    mine = text_of(client.get("/konto/beitraege/").content.decode())
    assert "3 Unterstützungen" in mine.split("Der Wochenmarkt")[1]


def test_topic_counts_of_the_area_profile_match_the_filtered_list(client):
    topic = ensure_topic()
    quarter = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    child = make_area("Am Bach", parent=quarter, boundary=square(7.40, 51.40, 0.01))
    for number in range(4):
        make_idea(child if number % 2 else quarter, title=f"Idee {number}")
    make_idea(quarter, title="Wartet noch", status=IdeaStatus.PENDING)
    original = make_idea(quarter, title="Original")
    make_idea(quarter, title="Doppelt", duplicate_of=original)
    area_page = text_of(client.get(quarter.get_absolute_url()).content.decode())
    listed = text_of(client.get(f"/ideen/?area={quarter.pk}&topic={topic.pk}").content.decode())
    assert f"{topic.name} (5 Beiträge)" in area_page
    assert "5 Beiträge" in listed


def retire(area, successor_name):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    successor = make_area(
        successor_name,
        parent=area.parent,
        boundary=area.boundary,
        valid_from=yesterday,
    )
    successor.predecessors.add(area)
    Area.objects.filter(pk=area.pk).update(valid_until=yesterday)
    area.refresh_from_db()
    return successor


def test_retired_area_is_a_history_page_whose_sections_agree(client):
    ensure_topic()
    quarter = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    old = make_area(
        "Am Bach",
        parent=quarter,
        boundary=square(7.40, 51.40, 0.01),
        valid_from=datetime.date(2024, 1, 1),
    )
    stayed = make_idea(old, title="Ohne Ort geblieben", location=None, kind=IdeaKind.WEAKNESS)
    moved = make_idea(old, title="Mit Ort umgezogen")
    for _number in range(5):
        MoodAnswer.objects.create(area=old, score=4, month=timezone.localdate().replace(day=1))
    new = retire(old, "Am Bach Nord")
    moved.area = new
    moved.save(update_fields=["area"])
    make_meeting(new, title="Treffen im neuen Gebiet")

    html = client.get(old.get_absolute_url()).content.decode()
    page = text_of(html)
    assert "Ein Blick in die Geschichte" in page and "Am Bach Nord" in page
    # what stayed is counted the same in the profile and in the list of contributions
    assert stayed.title in page and moved.title not in page
    assert "Noch keine Beiträge" not in page and "noch keine veröffentlichten" not in page
    assert re.search(r"Offene Schwächen 1 ", page)
    # the mood measured here is history; nothing invites to take part any more
    assert "4,0" in page or "4.0" in page
    for invitation in [
        "Eigenen Beitrag einbringen",
        "Jetzt mitmachen",
        "Folgen",
        "Treffen im neuen Gebiet",
        "Alle Beiträge aus diesem Gebiet",
        "/ideen/neu/",
    ]:
        assert invitation not in html, invitation

    current = client.get(new.get_absolute_url()).content.decode()
    assert "Eigenen Beitrag einbringen" in current and "Treffen im neuen Gebiet" in current


def test_mood_agrees_on_the_area_page_the_profile_and_the_barometer(client, settings):
    settings.MOOD_MIN_ANSWERS = 5
    quarter = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    child = make_area("Am Bach", parent=quarter, boundary=square(7.40, 51.40, 0.01))
    month = timezone.localdate().replace(day=1)
    for score, area in [(4, quarter), (4, quarter), (3, child), (3, child), (4, child)]:
        MoodAnswer.objects.create(area=area, score=score, month=month)  # 18 / 5 = 3.6
    period = f"{(month.month - 1) // 3 + 1}. Quartal {month.year}"
    area_page = text_of(client.get(quarter.get_absolute_url()).content.decode())
    assert f"Stimmung 3,6 von 5 {period}, 5 Antworten" in area_page  # the profile
    assert f"{period} 3,6 5" in area_page  # the mood section's table
    barometer = text_of(client.get("/stimmung/").content.decode())
    assert "Weststadt 3,6 von 5 · 5 Antworten" in barometer
    answered = text_of(
        client.get(f"/stimmung/?gebiet={quarter.slug}&beantwortet=1").content.decode()
    )
    assert "Weststadt" in answered and "3,6 von 5 · 5 Antworten" in answered
