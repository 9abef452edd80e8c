"""In a real browser: no page talks to another origin before map consent, and no page —
public or admin — breaks the Content-Security-Policy (no inline script or style refused)."""

import pytest

from participation.meetings.models import Registration
from tests.factories import make_user
from tests.network.factories import make_partner
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-und-lang-genug"


@pytest.fixture
def world():
    north, _south = two_areas()
    idea = make_idea(north)
    meeting = make_meeting(north)
    Registration.objects.create(meeting=meeting, name="Ida", email="ida@example.org")
    partner = make_partner("Nachbarschaftsverein", areas=[north])
    make_user("chefin", password=PASSWORD, is_staff=True, is_superuser=True)
    return {"area": north, "idea": idea, "meeting": meeting, "partner": partner}


def _csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations


def test_public_pages_make_no_foreign_request_and_keep_the_csp(page, live_server, world):
    area, idea, meeting, partner = world["area"], world["idea"], world["meeting"], world["partner"]
    violations = _csp_violations(page)
    paths = [
        "/",
        "/quartiere/",
        f"/quartiere/{area.slug}/",
        "/quartiere/finden/",
        "/ideen/",
        "/ideen/karte/",
        f"/ideen/{idea.pk}/",
        "/ideen/neu/",
        "/treffen/",
        f"/treffen/{meeting.pk}/",
        "/stimmung/",
        "/netzwerk/",
        f"/netzwerk/{partner.slug}/",
        "/netzwerk/bild/",
        "/netzwerk/mitmachen/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
        "/konto/anmelden/",
        "/konto/registrieren/",
        "/konto/passwort-vergessen/",
        "/en/",
        "/gibt-es-nicht/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.foreign_requests == [], path
    assert violations == []


def test_admin_works_under_the_csp(page, live_server, world):
    violations = _csp_violations(page)
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", "chefin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/verwaltung/")
    idea, meeting = world["idea"], world["meeting"]
    for path in [
        "/verwaltung/",
        "/verwaltung/participation/idea/",
        f"/verwaltung/participation/idea/{idea.pk}/change/",
        "/verwaltung/participation/meeting/",
        f"/verwaltung/participation/meeting/{meeting.pk}/change/",
        "/verwaltung/participation/meeting/add/",
        "/verwaltung/network/partner/add/",
        "/verwaltung/neighbourhoods/area/",
        f"/verwaltung/neighbourhoods/area/{world['area'].pk}/change/",
        "/verwaltung/quartier/user/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.foreign_requests == [], path
    # The admin's own scripts run: the change list's "select all" checkbox works.
    page.goto(live_server.url + "/verwaltung/participation/idea/")
    page.check("#action-toggle")
    assert page.locator("input.action-select").first.is_checked()
    assert violations == []
