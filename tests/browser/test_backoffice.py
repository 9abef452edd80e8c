"""Browser tests of the back office as a quarter manager: the inbox (axe), publishing and
answering a waiting idea from its own page, entering three paper contributions of a meeting,
and the Protokoll that shows it all. Desktop and phone width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation.ideas.models import Answer, Idea, IdeaStatus
from tests.factories import make_manager
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-und-lang-genug"


def log_in(page, live_server, user):
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/verwaltung/")


@pytest.fixture
def office():
    north, _south = two_areas()
    manager = make_manager(north)
    idea = make_idea(north, status=IdeaStatus.PENDING, title="Sitzbänke am Spielplatz")
    meeting = make_meeting(north, title="Stadtteilgespräch Nord", days=-1, capacity=10)
    return manager, idea, meeting


@pytest.mark.parametrize("width", [1280, 375])
def test_inbox_is_accessible_and_leads_to_the_waiting_idea(
    page, live_server, axe_check, office, width
):
    manager, idea, _meeting = office
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, manager)
    assert page.locator("#inbox-heading").inner_text() == "Was auf Sie wartet"
    axe_check(page)
    page.get_by_role("link", name="1 Beiträge zu prüfen").click()
    page.get_by_role("link", name="Sitzbänke am Spielplatz").click()
    page.wait_for_url(f"**/participation/idea/{idea.pk}/change/**")
    expect(page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    axe_check(page)
    assert page.foreign_requests == []


@pytest.mark.parametrize("width", [1280, 375])
def test_publish_and_answer_a_pending_idea_from_its_page(
    page, live_server, axe_check, office, width
):
    manager, idea, _meeting = office
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, manager)
    page.goto(live_server.url + f"/verwaltung/participation/idea/{idea.pk}/change/")
    page.get_by_label("Öffentliche Antwort (freiwillig)").fill("Danke! Wir schauen uns das an.")
    page.get_by_label("Stand nach dem Veröffentlichen").select_option("under_review")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text("erledigt")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW
    assert Answer.objects.get(idea=idea).text == "Danke! Wir schauen uns das an."
    # now an answer form for the next step is offered, no publish any more
    expect(page.get_by_role("button", name="Antworten und Stand ändern")).to_be_visible()
    expect(page.get_by_role("button", name="Veröffentlichen", exact=True)).to_have_count(0)
    page.goto(live_server.url + "/verwaltung/participation/moderationlog/")
    assert "Beantwortet" in page.content() and "Sitzbänke am Spielplatz" in page.content()
    axe_check(page)


def test_enter_three_paper_contributions_from_a_meeting(page, live_server, axe_check, office):
    manager, _idea, meeting = office
    log_in(page, live_server, manager)
    page.goto(live_server.url + f"/verwaltung/participation/meeting/{meeting.pk}/change/")
    page.get_by_role("link", name="Beiträge aus diesem Treffen erfassen").click()
    page.wait_for_url("**/beitraege/")
    axe_check(page)
    page.get_by_label("Auf Papier").check()
    rows = [
        ("idea", "Mehr Licht am Weg", "Abends ist es dunkel."),
        ("strength", "Der Wochenmarkt", "Man trifft sich."),
        ("weakness", "Zu wenig Bänke", "Ältere können nicht rasten."),
    ]
    for number, (kind, title, text) in enumerate(rows):
        page.select_option(f"#id_beitrag-{number}-kind", kind)
        page.fill(f"#id_beitrag-{number}-title", title)
        page.fill(f"#id_beitrag-{number}-text", text)
        page.select_option(f"#id_beitrag-{number}-topic", index=1)
    page.get_by_role("button", name="Alle speichern und veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text("3 Beiträge")
    collected = Idea.objects.filter(meeting=meeting)
    assert sorted(collected.values_list("kind", flat=True)) == ["idea", "strength", "weakness"]
    assert all(idea.channel == "paper" and idea.is_public for idea in collected)
    page.goto(live_server.url + meeting.get_absolute_url())
    for _kind, title, _text in rows:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    assert meeting.starts_at < timezone.now() + datetime.timedelta(days=1)
