import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kastanienallee-am-Park-3"


def test_sign_up_confirm_log_in_and_out(page, live_server, axe_check):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Registrieren").click()
    page.wait_for_url("**/konto/registrieren/")
    axe_check(page)

    # A first try with mismatched passwords keeps what was typed and is accessible too.
    page.locator("#id_username").fill("gisela")
    page.locator("#id_email").fill("gisela@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.locator("#id_privacy").check()
    page.get_by_role("button", name="Konto anlegen").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#id_username").input_value() == "gisela"
    axe_check(page)

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_privacy").check()
    page.get_by_role("button", name="Konto anlegen").click()
    page.wait_for_url("**/konto/registrieren/danke/")
    axe_check(page)

    link = re.search(r"http\S+/konto/bestaetigen/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    page.goto(live_server.url + path)
    assert page.get_by_role("heading", name="Ihr Konto ist bestätigt").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Anmelden", exact=True).last.click()
    page.wait_for_url("**/konto/anmelden/")
    axe_check(page)
    page.locator("#id_username").fill("gisela@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("link", name="Mein Konto").click()
    page.wait_for_url("**/konto/")
    assert page.get_by_text("gisela@example.org").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Meine Beiträge").click()
    page.wait_for_url("**/konto/beitraege/")
    axe_check(page)
    for path in ["/konto/passwort-aendern/", "/konto/loeschen/"]:
        page.goto(live_server.url + path)
        page.get_by_role("button").last.click()  # empty submit: the error state
        assert page.get_by_role("alert").is_visible()
        axe_check(page)

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Anmelden", exact=True).is_visible()
    assert page.foreign_requests == []


def test_login_errors_and_reset_pages_accessible(page, live_server, axe_check):
    page.goto(live_server.url + "/konto/anmelden/")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.wait_for_url("**/konto/passwort-vergessen/")
    axe_check(page)
    page.locator("#id_email").fill("niemand@example.org")
    page.get_by_role("button", name="Link anfordern").click()
    page.wait_for_url("**/konto/passwort-vergessen/gesendet/")
    axe_check(page)
