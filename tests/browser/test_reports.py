"""The report in a real browser: accessible, works without JavaScript, prints to a PDF."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(settings):
    from tests.factories import make_coordination
    from tests.participation.report_data import make_report_data

    settings.MOOD_MIN_ANSWERS = 3
    make_report_data()
    return make_coordination("koordination-browser")


def log_in(page, live_server, user):
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "geheim-und-lang-genug")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def test_report_is_accessible_and_prints(page, live_server, coordinator, axe_check):
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/berichte/?von=2026-01-01&bis=2026-06-30&gebiet=sudstadt")
    assert page.get_by_role("heading", name="Quartiersbericht", level=1).is_visible()
    assert page.get_by_role("img", name="Themen nach Art des Beitrags").count() == 1
    axe_check(page)
    assert page.foreign_requests == []

    page.emulate_media(media="print")
    assert page.locator(".report-running-header").is_visible()
    assert not page.locator(".report-filter").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages > 1  # every guiding question starts on a new page


def test_filter_works_without_javascript(browser, live_server, coordinator):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        log_in(page, live_server, coordinator)
        page.goto(live_server.url + "/berichte/")
        page.fill("#id_von", "2026-01-01")
        page.fill("#id_bis", "2026-06-30")
        page.select_option("#id_gebiet", "nordstadt")
        page.get_by_role("button", name="Bericht zeigen").click()
        page.wait_for_url("**gebiet=nordstadt**")
        assert "Nordstadt" in page.locator(".report-meta").inner_text()
    finally:
        context.close()
