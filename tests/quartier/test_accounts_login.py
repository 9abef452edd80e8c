"""Log-in: user name or e-mail, throttled guessing, safe `next=`, session fixation, log-out."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("accounts:login")
PASSWORD = "geheim-und-lang-genug"


@pytest.fixture
def berta():
    return make_user("berta", email="Berta@Example.org")


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("name", ["berta", "berta@example.org", "BERTA@EXAMPLE.ORG"])
def test_log_in_with_username_or_email(client, berta, name):
    response = client.post(URL, {"username": name, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client) == str(berta.pk)


def test_wrong_password_is_a_german_message(client, berta):
    response = client.post(URL, {"username": "berta", "password": "falsch"})
    assert response.status_code == 200
    assert "stimmen nicht" in response.content.decode()
    assert 'value="berta"' in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "x" * 10000, "password": "y" * 10000},
        {"username": "<script>alert(1)</script>", "password": "z"},
        {"username": ["a", "b"], "password": ["c"]},
    ],
)
def test_bad_input(client, berta, data):
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in body
    assert "<script>alert(1)</script>" not in body
    assert signed_in_as(client) is None


def failing(client, name, n, ip="10.1.1.1"):
    for _ in range(n):
        client.post(URL, {"username": name, "password": "rate-mal"}, REMOTE_ADDR=ip)


def test_throttle_per_account_same_message_whether_account_exists(client, berta):
    failing(client, "berta", 5, ip="10.1.1.1")
    failing(client, "niemand", 5, ip="10.1.1.2")
    real = client.post(URL, {"username": "berta", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    ghost = client.post(URL, {"username": "niemand", "password": "x"}, REMOTE_ADDR="10.9.9.8")
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in real.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in ghost.content.decode()
    assert real.context["form"].errors == ghost.context["form"].errors
    assert signed_in_as(client) is None


def test_throttle_counts_email_and_username_together(client, berta):
    failing(client, "berta@example.org", 3)
    failing(client, "berta", 2, ip="10.1.1.5")
    response = client.post(URL, {"username": "berta", "password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    assert "Zu viele" in response.content.decode()


def test_throttle_per_ip(client, berta):
    for i in range(30):
        client.post(URL, {"username": f"name{i}", "password": "x"}, REMOTE_ADDR="10.2.2.2")
    response = client.post(URL, {"username": "berta", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert "Zu viele" in response.content.decode()
    other_ip = client.post(URL, {"username": "berta", "password": PASSWORD}, REMOTE_ADDR="10.3.3.3")
    assert other_ip.status_code == 302


def test_success_clears_the_account_counter(client, berta):
    failing(client, "berta", 4)
    client.post(URL, {"username": "berta", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    failing(client, "berta", 4)
    response = client.post(URL, {"username": "berta", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "http:/evil.example",
        "https:evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        " https://evil.example",
    ],
)
def test_open_redirect_in_next_is_refused(client, berta, target):
    page = client.get(URL, {"next": target})
    assert '<input type="hidden" name="next" value="">' in page.content.decode()
    response = client.post(
        URL + "?next=x", {"username": "berta", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_next_to_own_path_is_followed(client, berta):
    response = client.post(
        URL, {"username": "berta", "password": PASSWORD, "next": "/konto/beitraege/"}
    )
    assert response["Location"] == "/konto/beitraege/"


def test_login_required_pages_send_to_login_with_next(client):
    response = client.get(reverse("accounts:overview"))
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?next=/konto/"


def test_session_key_rotates_on_log_in(client, berta):
    """Session fixation: a session key planted before log-in is worthless afterwards."""
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert client.session.session_key == planted.session_key

    client.post(URL, {"username": "berta", "password": PASSWORD})

    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != planted.session_key
    assert SessionStore(session_key=new_key).get("_auth_user_id") == str(berta.pk)
    assert not SessionStore().exists(planted.session_key)


def test_log_out_needs_post(client, berta):
    client.force_login(berta)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_as(client) == str(berta.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert signed_in_as(client) is None


def test_log_in_and_log_out_need_csrf(berta):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"username": "berta", "password": PASSWORD}).status_code == 403
    strict.force_login(berta)
    assert strict.post(reverse("accounts:logout")).status_code == 403


def test_nav_shows_account_items(client, berta):
    anonymous = client.get("/").content.decode()
    assert 'href="/konto/anmelden/"' in anonymous
    assert 'href="/konto/registrieren/"' in anonymous
    assert "Mein Konto" not in anonymous
    client.force_login(berta)
    resident = client.get("/").content.decode()
    assert 'href="/konto/"' in resident
    assert "Abmelden" in resident
    assert "/verwaltung/" not in resident
    client.force_login(make_user("staff", is_staff=True))
    assert 'href="/verwaltung/"' in client.get("/").content.decode()
