import re

import pytest

from participation.subscriptions.models import Subscription
from tests.factories import make_area, make_user, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/konto/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("geheim-und-lang-genug")
    page.get_by_role("button", name="Anmelden").click()


def test_resident_follows_their_quarter_and_manages_it(page, live_server, axe_check):
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    make_user("rita")
    log_in(page, live_server, "rita")

    page.goto(live_server.url + area.get_absolute_url())
    page.get_by_role("button", name="Folgen").click()
    assert "Sie folgen jetzt „Nordstadt“" in page.locator(".messages").inner_text()
    assert "Sie folgen „Nordstadt“" in page.locator(".follow-section").inner_text()
    axe_check(page)

    page.get_by_role("link", name="Meine Benachrichtigungen").first.click()
    assert page.locator("h1").inner_text() == "Meine Benachrichtigungen"
    assert "Nordstadt" in page.locator(".subscription-list").inner_text()
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"Ändern.*Nordstadt")).click()
    page.get_by_label("Neue Treffen").uncheck()
    page.get_by_label("Sofort").check()
    axe_check(page)
    page.get_by_role("button", name="Speichern").click()
    subscription = Subscription.objects.get()
    assert subscription.frequency == "immediately" and not subscription.notify_meetings

    page.goto(live_server.url + "/benachrichtigungen/ort/")
    axe_check(page)
    assert not page.foreign_requests


def test_visitor_sees_the_follow_form_and_the_sent_page(page, live_server, axe_check):
    area = make_area("Südstadt", boundary=square(7.46, 51.49))
    page.goto(live_server.url + area.get_absolute_url())
    page.locator(".follow-section").get_by_label("Ihre E-Mail-Adresse").fill("v@example.org")
    page.locator(".follow-section").get_by_role("button", name="Folgen").click()
    assert "Bitte bestätigen" in page.locator("h1").inner_text()
    axe_check(page)
    page.goto(live_server.url + "/benachrichtigungen/neu/?area=suedstadt")
    axe_check(page)
