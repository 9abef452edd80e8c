"""Browser tests of the follow-through: a manager forwards an idea to an office, the office
answers through the link in its mail, the manager publishes the answer, and the public idea
page shows each step; the measures list and page, and the Quartiersbrief notice (axe)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from participation.ideas.models import IdeaStatus
from participation.measures.models import Measure, MeasureStatus, MeasureUpdate, Milestone
from participation.newsletter.models import Newsletter
from participation.offices.models import Decision, Forwarding, Office
from tests.factories import make_manager
from tests.participation.helpers import make_idea, two_areas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-und-lang-genug"


def log_in(page, live_server, user):
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/verwaltung/")


@pytest.fixture
def setting():
    north, _south = two_areas()
    manager = make_manager(north)
    idea = make_idea(north, status=IdeaStatus.PUBLISHED, title="Zebrastreifen an der Schule")
    office = Office.objects.create(name="Tiefbauamt", email="tiefbau@stadt.example")
    return manager, idea, office


@pytest.mark.parametrize("width", [1280, 375])
def test_forward_answer_by_link_publish_and_follow_it_in_public(
    browser, page, live_server, axe_check, setting, width
):
    manager, idea, office = setting
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, manager)
    page.goto(live_server.url + f"/verwaltung/participation/idea/{idea.pk}/change/")
    page.locator("#id_forward-office").select_option(str(office.pk))
    page.get_by_label("Frage an das Amt").fill("Ist hier ein Zebrastreifen möglich?")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Antwort erbeten bis").fill(deadline.isoformat())
    page.get_by_role("button", name="An ein Amt weiterleiten").click()
    expect(page.locator(".messagelist")).to_contain_text("erledigt")
    forwarding = Forwarding.objects.get()
    (request_mail,) = [m for m in mail.outbox if m.to == [office.email]]
    link = re.search(r"https?://\S+/amt/antwort/\S+/", request_mail.body).group(0)
    path = link[link.index("/amt/") :]

    # the office, in its own browser without an account
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    office_page = context.new_page()
    office_page.goto(live_server.url + path)
    expect(office_page.get_by_text("Ist hier ein Zebrastreifen möglich?")).to_be_visible()
    axe_check(office_page)
    office_page.get_by_label("Antwort des Amts").fill("Ja, wir markieren ihn im Frühjahr.")
    office_page.get_by_label("Ihr Name (für Rückfragen)").fill("Frau Weg")
    office_page.get_by_role("button", name="Antwort senden").click()
    expect(
        office_page.get_by_text("Ihre Antwort ist beim Quartiersteam angekommen")
    ).to_be_visible()
    axe_check(office_page)
    context.close()
    forwarding.refresh_from_db()
    assert forwarding.answered_at is not None

    # the manager publishes it with a status change
    page.goto(live_server.url + f"/verwaltung/participation/forwarding/{forwarding.pk}/change/")
    page.get_by_role("link", name="Veröffentlichen oder intern behalten").click()
    axe_check(page)
    page.get_by_label("Neuer Stand").select_option("planned")
    page.get_by_role("button", name="Entscheiden").click()
    expect(page.locator(".messagelist")).to_contain_text("Entschieden")
    forwarding.refresh_from_db()
    assert forwarding.decision == Decision.PUBLISHED

    # and anyone can follow it on the idea's page
    page.goto(live_server.url + idea.get_absolute_url())
    answers = page.locator("#antworten")
    expect(answers).to_contain_text("an Tiefbauamt weitergeleitet")
    expect(answers).to_contain_text("Antwort von Tiefbauamt am")
    expect(answers).to_contain_text("Ja, wir markieren ihn im Frühjahr.")
    axe_check(page)
    assert page.foreign_requests == []


@pytest.mark.parametrize("width", [1280, 375])
def test_measures_and_the_newsletter_notice_are_accessible(
    page, live_server, axe_check, setting, width
):
    manager, idea, _office = setting
    page.set_viewport_size({"width": width, "height": 900})
    measure = Measure.objects.create(
        title="Zebrastreifen Schulweg",
        summary="Markierung und Beleuchtung.",
        area=idea.area,
        location=idea.location,
        status=MeasureStatus.IN_PROGRESS,
        progress=40,
        costs=8000,
        funding="Städtischer Haushalt",
        is_published=True,
    )
    measure.ideas.add(idea)
    Milestone.objects.create(measure=measure, title="Markierung", due_on=timezone.localdate())
    MeasureUpdate.objects.create(
        measure=measure, text="Auftrag vergeben.", status="in_progress", progress=40
    )
    page.goto(live_server.url + "/vorhaben/")
    expect(page.get_by_role("link", name="Zebrastreifen Schulweg")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Zebrastreifen Schulweg").click()
    expect(page.get_by_text("Auftrag vergeben.")).to_be_visible()
    axe_check(page)
    letter = Newsletter.objects.create(
        area=idea.area, subject="Sommerfest", body="Kommt alle!", sent_at=timezone.now()
    )
    page.goto(live_server.url + f"/quartiersbrief/{letter.pk}/aushang/")
    expect(page.locator(".notice-qr-box svg")).to_be_visible()
    axe_check(page)
    assert page.foreign_requests == []
