"""One idea followed in public through every step: forwarded to an office, the office's answer,
the measure built from it, and the measure completed — the manager's part in the admin, the
resident's view on the idea's page. Also the new pages around it: forwarding a fund application
(admin), the office statements beside survey results and the funded projects on a measure."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation.funds.models import ApplicationStatus, FundApplication
from participation.ideas.models import IdeaStatus
from participation.measures.models import Measure
from participation.offices import services as offices
from participation.offices.models import Forwarding, Office
from participation.surveys.models import Survey
from tests.factories import make_manager, make_user
from tests.participation.fund_factories import make_application, make_fund
from tests.participation.helpers import make_idea, two_areas

from .test_follow_through import log_in
from .test_surveys import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answered():
    """A public idea, forwarded to the Tiefbauamt, answered, the answer published."""
    north, _south = two_areas()
    manager = make_manager(north)
    idea = make_idea(north, status=IdeaStatus.PUBLISHED, title="Zebrastreifen an der Schule")
    office = Office.objects.create(name="Tiefbauamt", email="tiefbau@stadt.example")
    forwarding = offices.forwarding_create(
        idea=idea,
        office=office,
        question="Ist ein Zebrastreifen möglich?",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        by=manager,
    )
    offices.forwarding_answer(forwarding=forwarding, text="Ja, im Frühjahr.")
    offices.forwarding_decide(
        forwarding=forwarding, by=manager, publish=True, status_to=IdeaStatus.PLANNED
    )
    return manager, idea


def test_an_idea_followed_from_the_office_to_the_completed_measure(
    page, live_server, axe_check, answered
):
    manager, idea = answered
    log_in(page, live_server, manager)
    # the manager builds a measure from the idea ...
    page.goto(live_server.url + "/verwaltung/participation/measure/add/")
    page.get_by_label("Titel").fill("Zebrastreifen Schulweg")
    page.get_by_label("Beschreibung").fill("Markierung und Beleuchtung.")
    page.locator("#id_area").select_option(str(idea.area_id))
    page.locator("#id_ideas").select_option(str(idea.pk))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich")
    measure = Measure.objects.get()
    assert list(measure.ideas.all()) == [idea]
    # ... publishes it and, later, posts that it is done
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_role("link", name="Neuigkeit posten").click()
    page.locator("#id_status").select_option("completed")
    page.get_by_label("Fortschritt in Prozent").fill("100")
    page.get_by_label("Was ist passiert?").fill("Der Zebrastreifen ist markiert.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messagelist")).to_contain_text("Neuigkeit gespeichert")
    measure.refresh_from_db()
    assert (measure.is_published, measure.status, measure.progress) == (True, "completed", 100)

    # anyone follows it step by step on the idea's page, at both widths
    visitor = page.context.browser.new_context(locale="de-DE")
    public = visitor.new_page()
    for width in (1280, 375):
        public.set_viewport_size({"width": width, "height": 900})
        public.goto(live_server.url + idea.get_absolute_url())
        steps = public.locator("#antworten .timeline > li")
        texts = [text.strip() for text in steps.all_inner_texts()]
        order = [
            "an Tiefbauamt weitergeleitet",
            "Ja, im Frühjahr.",
            "Daraus wurde ein Vorhaben",
            "Vorhaben abgeschlossen",
        ]
        positions = [
            next(i for i, text in enumerate(texts) if expected in text) for expected in order
        ]
        assert positions == sorted(positions), texts
        expect(steps.filter(has_text="Daraus wurde ein Vorhaben")).to_contain_text(
            "abgeschlossen, 100 %"
        )
        axe_check(public)
    screenshot(public, "idea-timeline")
    public.get_by_role("link", name="Zum Vorhaben").click()
    expect(public.get_by_text("Der Zebrastreifen ist markiert.")).to_be_visible()
    visitor.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_new_pages_around_funds_and_surveys_are_accessible(page, live_server, axe_check, width):
    north, _south = two_areas()
    manager = make_manager(north)
    office = Office.objects.create(name="Grünflächenamt", email="gruen@stadt.example")
    fund = make_fund(north)
    application = make_application(fund, user=make_user(), title="Hochbeete im Hof")
    FundApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.APPROVED, approved_amount=Decimal("750.00")
    )
    measure = Measure.objects.create(
        title="Hof-Garten",
        summary="Hochbeete für alle.",
        area=north,
        fund=fund,
        funding="Verfügungsfonds",
        is_published=True,
    )
    measure.fund_applications.add(application)
    survey = Survey.objects.create(
        title="Grün im Quartier",
        starts_on=timezone.localdate() - datetime.timedelta(days=5),
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
        is_published=True,
    )
    survey.areas.set([north])
    statement = offices.forwarding_create(
        survey=survey,
        office=office,
        question="Was folgt daraus?",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        by=manager,
    )
    offices.forwarding_answer(forwarding=statement, text="Wir pflanzen zwanzig Bäume.")
    offices.forwarding_decide(forwarding=statement, by=manager, publish=True)

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + measure.get_absolute_url())
    expect(page.get_by_text("Gefördertes Projekt „Hochbeete im Hof“")).to_be_visible()
    axe_check(page)
    page.goto(live_server.url + f"/umfragen/{survey.pk}/ergebnisse/")
    expect(page.get_by_text("Wir pflanzen zwanzig Bäume.")).to_be_visible()
    axe_check(page)
    if width == 1280:
        screenshot(page, "survey-statements")

    # the manager forwards the application; the office reads it through its link
    log_in(page, live_server, manager)
    page.goto(
        live_server.url
        + f"/verwaltung/participation/forwarding/weiterleiten/antrag/{application.pk}/"
    )
    axe_check(page)
    page.locator("#id_office").select_option(str(office.pk))
    page.get_by_label("Frage an das Amt").fill("Dürfen die Hochbeete auf die Wiese?")
    page.get_by_role("button", name="Weiterleiten").click()
    expect(page.locator(".messagelist")).to_contain_text("An Grünflächenamt weitergeleitet")
    forwarding = Forwarding.objects.get(application=application)
    office_page = page.context.browser.new_context(locale="de-DE").new_page()
    office_page.set_viewport_size({"width": width, "height": 900})
    office_page.goto(live_server.url + f"/amt/antwort/{offices.answer_token(forwarding)}/")
    expect(office_page.get_by_text("Dürfen die Hochbeete auf die Wiese?")).to_be_visible()
    expect(office_page.get_by_role("heading", name="Der Fondsantrag")).to_be_visible()
    axe_check(office_page)
    if width == 1280:
        screenshot(office_page, "office-answer-application")
    office_page.context.close()
    assert page.foreign_requests == []
