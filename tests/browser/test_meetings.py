import re

import pytest
from django.core import mail

from participation.meetings.models import Registration
from tests.factories import make_area, square
from tests.participation.meeting_factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_then_cancel_through_the_mailed_link(page, live_server, axe_check):
    area = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    meeting = make_meeting(area, title="Stadtteilgespräch am Markt", capacity=1, step_free=True)
    make_meeting(area, title="Vergangenes Fest", days=-5, minutes="Schön war's.")

    page.goto(live_server.url + "/treffen/")
    axe_check(page)
    page.get_by_role("link", name="Stadtteilgespräch am Markt").click()
    assert page.locator("h1").inner_text() == "Stadtteilgespräch am Markt"
    axe_check(page)

    page.get_by_label("Ihr Name").fill("Rita Rot")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    assert "gültige E-Mail-Adresse" in page.locator(".form-error-summary").inner_text()
    assert page.get_by_label("Ihr Name").input_value() == "Rita Rot"
    page.get_by_label("E-Mail-Adresse").fill("rita@example.org")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    assert "Sie sind angemeldet" in page.locator(".messages").inner_text()
    assert "0 von 1 frei" in page.locator(".meeting-facts").inner_text()

    (confirmation,) = mail.outbox
    assert confirmation.attachments[0][0].endswith(".ics")
    link = re.search(r"https?://\S+/treffen/abmelden/\S+/", confirmation.body).group(0)
    path = link.split("/treffen/", 1)[1]
    page.goto(live_server.url + "/treffen/" + path)
    axe_check(page)
    page.get_by_role("button", name="Ja, abmelden").click()
    assert "Sie sind abgemeldet" in page.locator(".messages").inner_text()
    assert Registration.objects.get().status == "cancelled"
    assert meeting.get_absolute_url() in page.url
    assert page.foreign_requests == []


def test_past_meetings_and_mood_page_are_accessible(page, live_server, axe_check):
    area = make_area("Nordstadt", boundary=square(7.40, 51.40, 0.1))
    make_meeting(area, title="Vergangenes Fest", days=-5, minutes="Schön war's.")
    page.goto(live_server.url + "/treffen/?zeit=vergangen")
    page.get_by_role("link", name="Vergangenes Fest").click()
    assert page.locator(".meeting-minutes").inner_text() == "Schön war's."
    assert page.get_by_role("heading", name="Ideen aus diesem Treffen").is_visible()
    axe_check(page)

    page.goto(live_server.url + "/stimmung/")
    axe_check(page)
    page.get_by_label("4 – wohl").check()
    page.get_by_label("Ihr Quartier").select_option(label="Nordstadt")
    page.get_by_role("button", name="Antwort abschicken").click()
    assert "Danke für Ihre Antwort" in page.locator(".messages").inner_text()
    assert page.foreign_requests == []
