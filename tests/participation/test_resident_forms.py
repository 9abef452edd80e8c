"""The residents' forms: no pre-selected topic, no empty box under the description, consent
checkboxes that link to the privacy statement, web addresses as people type them, a meeting
page that shows one's registration after signing up, one pending join request per name."""

import re

import pytest
from django.urls import reverse

from network.models import JoinRequest, Partner
from participation.meetings.models import Registration
from tests.factories import make_area, make_user, square
from tests.network.test_join_request import valid_data
from tests.participation.helpers import ensure_topic
from tests.participation.meeting_factories import make_meeting
from tests.participation.pages import text_of

pytestmark = pytest.mark.django_db


def test_idea_form_has_no_preselected_topic_and_no_empty_box(client):
    ensure_topic()
    html = client.get(reverse("participation:idea-create")).content.decode()
    select = re.search(r'<select name="topic".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first and "selected" in first
    assert re.search(r'<section id="similar-ideas"[^>]*></section>', html)


@pytest.mark.parametrize(
    "url",
    [
        reverse("participation:idea-create"),
        reverse("network:join-request"),
        reverse("accounts:signup"),
    ],
)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_consent_checkboxes_link_to_the_privacy_statement(client, url, prefix):
    ensure_topic()
    html = client.get(prefix + url).content.decode()
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener">([^<]+)</a>', html)
    assert link is not None
    assert link.group(1) == f"{prefix}/datenschutz/"
    assert ("privacy statement" if prefix else "Datenschutzerklärung") in link.group(2)


def join_data(**extra):
    return valid_data(**{"homepage": "", **extra})


def test_web_address_without_scheme_is_stored_with_https(client):
    html = client.get(reverse("network:join-request")).content.decode()
    field = re.search(r'<input[^>]*name="homepage"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'inputmode="url"' in field  # browsers refuse www. in url
    response = client.post(
        reverse("network:join-request"), join_data(homepage="www.repair-sued.de")
    )
    assert response.status_code == 302
    assert JoinRequest.objects.get().website == "https://www.repair-sued.de"


def test_a_second_pending_request_for_the_same_name_is_refused_clearly(client):
    url = reverse("network:join-request")
    assert client.post(url, join_data()).status_code == 302
    again = client.post(url, join_data(organisation_name="  repair-café   SÜD "))
    assert again.status_code == 200
    assert "liegt schon eine Anfrage vor" in again.content.decode()
    assert JoinRequest.objects.count() == 1
    JoinRequest.objects.update(status=JoinRequest.Status.DECLINED)
    assert client.post(url, join_data()).status_code == 302  # asking again after a decision
    assert JoinRequest.objects.count() == 2
    assert not Partner.objects.exists()


@pytest.fixture
def meeting():
    area = make_area("Weststadt", boundary=square(7.40, 51.40, 0.02))
    return make_meeting(area, title="Workshop Spielplatz", capacity=2)


def register(client, meeting, **extra):
    data = {"name": "Aylin K.", "email": "aylin@example.org", "people": "1", "note": ""}
    return client.post(meeting.get_absolute_url(), {**data, **extra})


def test_after_signing_up_the_page_shows_the_registration_not_the_empty_form(client, meeting):
    response = register(client, meeting, people="2")
    assert response.status_code == 302
    assert response["Location"].endswith("#ihre-anmeldung")
    html = client.get(meeting.get_absolute_url()).content.decode()
    page = text_of(html)
    assert "Ihre Anmeldung" in page and "Sie sind mit 2 Personen angemeldet." in page
    assert "aylin@example.org" in page
    registration = Registration.objects.get()
    assert registration.get_cancel_url() in html
    # the form is still there for someone else, folded into "Eine weitere Anmeldung"
    assert '<details class="register-more">' in html
    assert html.index("Ihre Anmeldung") < html.index("register-more")


def test_waiting_list_place_is_shown(client, meeting):
    Registration.objects.create(meeting=meeting, name="A", email="a@example.org", people=2)
    other = Registration.objects.create(
        meeting=meeting, name="B", email="b@example.org", status="waiting"
    )
    register(client, meeting)
    page = text_of(client.get(meeting.get_absolute_url()).content.decode())
    assert "1 Person, Platz 2 auf der Warteliste" in page
    assert other.email not in page  # only one's own registration


def test_account_sees_its_registration_on_any_device(client, meeting):
    user = make_user("aylin")
    Registration.objects.create(meeting=meeting, user=user, name="Aylin", email="a@example.org")
    client.force_login(user)
    page = text_of(client.get(meeting.get_absolute_url()).content.decode())
    assert "Sie sind mit 1 Person angemeldet." in page


def test_nobody_else_sees_the_registration(client, meeting):
    register(client, meeting)
    client.logout()
    client.cookies.clear()
    page = text_of(client.get(meeting.get_absolute_url()).content.decode())
    assert "Ihre Anmeldung" not in page and "aylin@example.org" not in page
    assert "Zum Treffen anmelden" in page
