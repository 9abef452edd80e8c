import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switch_language_and_back_accessible(page, live_server, axe_check):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").is_visible()
    axe_check(page)

    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    axe_check(page)

    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.foreign_requests == []


def test_skip_link_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize(
    "path", ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]
)
def test_legal_pages_reachable_from_footer_and_accessible(page, live_server, axe_check, path):
    page.goto(live_server.url + "/")
    page.locator(f".site-footer a[href='{path}']").click()
    page.wait_for_url(live_server.url + path)
    assert page.locator("h1").is_visible()
    axe_check(page)
    assert page.foreign_requests == []


def test_english_legal_page_marks_its_german_text(page, live_server, axe_check):
    page.goto(live_server.url + "/en/barrierefreiheit/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article.legal").get_attribute("lang") == "de"
    assert page.locator("#barriere-melden").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Send report").is_visible()
    axe_check(page)


def test_report_a_barrier_in_the_browser(page, live_server, axe_check):
    from quartier.models import BarrierReport

    page.goto(live_server.url + "/barrierefreiheit/")
    page.get_by_label("Was ist die Barriere?").fill("Der Kontrast ist zu schwach.")
    page.get_by_role("button", name="Meldung senden").click()
    # The page is missing: the error is shown, the description kept, and the page stays usable.
    assert page.get_by_text("Bitte geben Sie die Seite an.").first.is_visible()
    assert page.get_by_label("Was ist die Barriere?").input_value() == (
        "Der Kontrast ist zu schwach."
    )
    axe_check(page)
    page.get_by_label("Auf welcher Seite?").fill("/ideen/")
    page.get_by_role("button", name="Meldung senden").click()
    assert page.get_by_text("Danke! Ihre Meldung ist angekommen.").is_visible()
    assert BarrierReport.objects.filter(page_url="/ideen/").count() == 1


def test_print_stylesheet_hides_navigation_and_pdf_renders(page, live_server):
    page.goto(live_server.url + "/impressum/")
    page.emulate_media(media="print")
    assert page.locator(".main-nav").is_hidden()
    assert page.locator(".language-switch").is_hidden()
    assert page.locator("h1").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
