"""The residents' pages in a real browser: home, Meine Beiträge, the mood barometer, area pages
(current and retired), the idea list with its filters, a meeting with one's registration — on a
laptop and on a phone (375 px), without violations found by axe; maps before tile consent."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from neighbourhoods.models import Area
from participation.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def demo(settings):
    settings.MAP_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    call_command("demo", no_serve=True, stdout=io.StringIO())


def log_in(page, live_server, username="bewohnerin"):
    page.goto(live_server.url + "/konto/anmelden/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(username)
    page.get_by_label("Passwort").fill("quartier-demo")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/anmelden/" not in url)


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def wait_until(page, expression, timeout_ms=8000):
    """Poll `expression` with page.evaluate (wait_for_function compiles a string with eval,
    which the portal's CSP forbids)."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not true in time: {expression}")


def boxes_overlap(first, second):
    a, b = first.bounding_box(), second.bounding_box()
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_home_shows_the_quarters_life_with_labelled_map_before_consent(
    page, live_server, demo, axe_check
):
    page.goto(live_server.url + "/")
    page.wait_for_selector("#home-map.map-ready")
    assert page.get_by_role("heading", name="Neu im Quartier").is_visible()
    assert page.get_by_role("heading", name="Nächste Treffen").first.is_visible()
    assert page.get_by_role("heading", name="Was daraus geworden ist").is_visible()
    # outlines carry their names, and the consent notice sits below the map, not over it
    page.wait_for_selector("#home-map .map-label")
    assert {"Innenstadt", "Südstadt", "Nordstadt"} <= set(
        page.locator("#home-map .map-label").all_inner_texts()
    )
    consent = page.locator(".home-latest .map-consent")
    assert consent.is_visible()
    assert not boxes_overlap(consent, page.locator("#home-map"))
    assert page.foreign_requests == []
    axe_check(page)


def test_phone_menu_and_no_sideways_scrolling(browser, live_server, demo, axe_check):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/")
    nav = page.locator(".main-nav")
    assert nav.bounding_box()["height"] < 70  # one row: the menu button
    assert page.locator(".nav-wide").is_hidden()
    menu = page.locator(".nav-narrow summary")
    assert menu.inner_text().strip() == "Menü"
    page.get_by_role("link", name="Treffen", exact=True).first.is_hidden()
    menu.click()
    page.locator(".nav-narrow").get_by_role("link", name="Treffen", exact=True).click()
    page.wait_for_url(live_server.url + "/treffen/")
    for path in ["/", "/treffen/", "/ideen/", "/stimmung/", "/quartiere/suedstadt/"]:
        page.goto(live_server.url + path)
        assert no_sideways_scrolling(page), path
    axe_check(page)
    context.close()


def test_phone_menu_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(".nav-narrow summary").click()
    assert page.locator(".nav-narrow").get_by_role("link", name="Stimmung").is_visible()
    context.close()


def test_idea_filters_behind_a_disclosure(browser, live_server, demo, axe_check):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/ideen/")
    assert page.get_by_label("Suche").is_visible()
    assert page.get_by_label("Thema").is_hidden()
    axe_check(page)
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Art").select_option(label="Stärke")
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url("**/ideen/?*kind=strength*")
    assert page.locator(".filter-disclosure").get_attribute("open") is not None
    assert "1 aktiv" in page.locator(".filter-disclosure summary").inner_text()
    kinds = set(page.locator(".idea-list .badge-strength").all_inner_texts())
    assert kinds == {"Stärke"}
    axe_check(page)
    context.close()


def test_meine_beitraege_closes_the_loop(page, live_server, demo, axe_check):
    log_in(page, live_server)
    page.goto(live_server.url + "/konto/beitraege/")
    assert page.get_by_role("heading", name="Meine Ideen, Stärken und Schwächen").is_visible()
    assert page.get_by_text("Was ist mit meiner Idee passiert?").is_visible()
    assert page.locator(".mine-item .timeline").count() > 0
    assert page.get_by_role("heading", name="Meine Anmeldungen zu Treffen").is_visible()
    assert page.get_by_role("heading", name="Meine Antworten im Stimmungsbarometer").is_visible()
    axe_check(page)
    page.goto(live_server.url + "/en/konto/beitraege/")
    assert page.get_by_role("heading", name="My comments").is_visible()
    axe_check(page)


def test_mood_answer_gives_the_area_and_city_figures(page, live_server, demo, axe_check):
    page.goto(live_server.url + "/stimmung/")
    assert page.locator("svg.mood-chart").is_visible()
    assert page.locator("table.mood-table tbody tr").count() == 3
    page.wait_for_selector("#mood-picture-map .map-label")
    axe_check(page)
    page.get_by_label("4 – wohl").check()
    page.get_by_label("Ihr Quartier").select_option(label="Nordstadt")
    page.get_by_role("button", name="Antwort abschicken").click()
    page.wait_for_url("**beantwortet=1**")
    result = page.locator("#ihr-ergebnis")
    expect(result).to_be_visible()
    assert "Nordstadt" in result.inner_text() and "Ganz Musterstadt" in result.inner_text()
    assert page.locator(".mood-again").get_attribute("open") is None
    axe_check(page)


def test_area_pages_current_and_retired(page, live_server, demo, axe_check):
    page.goto(live_server.url + "/quartiere/suedstadt/")
    page.wait_for_selector("#area-map .map-label")
    assert page.get_by_role("link", name="Eigenen Beitrag einbringen").is_visible()
    assert not boxes_overlap(page.locator(".map-consent").first, page.locator("#area-map"))
    # the social spaces carry their names; a label is no control of its own, a click on it
    # reaches the area below (its popup with the link), before any tile was loaded
    label = page.locator("#area-map .map-label", has_text="Am Park")
    wait_until(page, "!document.querySelector('#area-map .leaflet-zoom-anim')")
    box = label.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".leaflet-popup a", has_text="Südstadt-Am Park")).to_be_visible()
    assert page.foreign_requests == []
    # the popup fades in; axe judges colours once it is fully there
    wait_until(page, "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    axe_check(page)
    retired = Area.objects.get(slug="suedstadt-ost")
    page.goto(live_server.url + retired.get_absolute_url())
    assert page.get_by_role("heading", name="Ein Blick in die Geschichte").is_visible()
    assert page.get_by_role("link", name="Eigenen Beitrag einbringen").count() == 0
    assert page.get_by_role("button", name="Folgen").count() == 0
    axe_check(page)


def test_meeting_shows_the_registration_after_signing_up(page, live_server, demo, axe_check):
    meeting = next(
        meeting
        for meeting in Meeting.objects.with_counts().filter(status="planned").order_by("pk")
        if meeting.capacity and not meeting.is_full
    )
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_label("Ihr Name").fill("Rita Rot")
    page.get_by_label("E-Mail-Adresse").fill("rita@example.org")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    box = page.locator(".my-registration")
    expect(box).to_be_visible()
    assert "rita@example.org" in box.inner_text()
    assert page.get_by_label("Ihr Name").is_hidden()  # the form is folded away
    axe_check(page)
    page.goto(live_server.url + "/en" + meeting.get_absolute_url())
    assert page.get_by_role("heading", name="Your registration").is_visible()
    page.get_by_text("Register someone else").click()
    assert page.get_by_role("button", name="Register (binding)").is_visible()
    axe_check(page)
