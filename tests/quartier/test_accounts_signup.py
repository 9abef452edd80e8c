"""Sign-up with e-mail confirmation, and no way to learn which addresses have accounts."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail, signing
from django.urls import reverse

from quartier.accounts import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("accounts:signup")
GOOD = {
    "username": "neue-nachbarin",
    "email": "Nachbarin@Example.org",
    "password1": "Sonnenblume-am-Markt-7",
    "password2": "Sonnenblume-am-Markt-7",
    "privacy": "on",
    "website": "",
}


def confirm_link(message):
    return re.search(r"http\S+/konto/bestaetigen/\S+/", message.body).group(0)


def path_of(link):
    return urlsplit(link).path


def test_signup_creates_inactive_account_and_mails_link(client):
    response = client.post(URL, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup-done")
    user = get_user_model().objects.get(username="neue-nachbarin")
    assert not user.is_active
    assert user.check_password(GOOD["password1"])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Nachbarin@example.org"]  # domain normalised
    assert "bestätigen" in message.subject
    assert "neue-nachbarin" in message.body
    page = client.get(response["Location"])
    assert "Nachbarin@Example.org" in page.content.decode()


def test_confirm_link_activates_once(client):
    client.post(URL, GOOD)
    path = path_of(confirm_link(mail.outbox[0]))
    response = client.get(path)
    assert "Ihr Konto ist bestätigt" in response.content.decode()
    assert get_user_model().objects.get(username="neue-nachbarin").is_active
    assert client.login(username="neue-nachbarin", password=GOOD["password1"])
    again = client.get(path)
    assert "Dieser Link gilt nicht mehr" in again.content.decode()


def test_unconfirmed_account_cannot_log_in(client):
    client.post(URL, GOOD)
    response = client.post(
        reverse("accounts:login"), {"username": "neue-nachbarin", "password": GOOD["password1"]}
    )
    assert response.status_code == 200
    assert "bestätigen Sie zuerst" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "token",
    ["kaputt", "x" * 500, signing.dumps({"u": 1, "s": "abc"}, salt="falsch"), "<script>"],
)
def test_broken_confirm_links_are_refused(client, token):
    make_user(is_active=False)
    response = client.get(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 200
    assert "Dieser Link gilt nicht mehr" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_expired_confirm_link_is_refused(client, monkeypatch):
    client.post(URL, GOOD)
    path = path_of(confirm_link(mail.outbox[0]))
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    assert "Dieser Link gilt nicht mehr" in client.get(path).content.decode()
    assert not get_user_model().objects.get(username="neue-nachbarin").is_active


def test_confirm_link_cannot_reactivate_a_deactivated_account(client):
    client.post(URL, GOOD)
    path = path_of(confirm_link(mail.outbox[0]))
    client.get(path)
    user = get_user_model().objects.get(username="neue-nachbarin")
    client.login(username="neue-nachbarin", password=GOOD["password1"])
    user.refresh_from_db()
    user.is_active = False
    user.save()
    client.get(path)
    user.refresh_from_db()
    assert not user.is_active


def test_existing_email_gets_same_answer_and_a_hint_mail(client):
    make_user("berta", email="nachbarin@example.org")
    fresh = client.post(URL, {**GOOD, "username": "jemand", "email": "frei@example.org"})
    taken = client.post(URL, GOOD)
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert not get_user_model().objects.filter(username="neue-nachbarin").exists()
    hint = mail.outbox[-1]
    assert hint.to == ["nachbarin@example.org"]
    assert "bereits ein Konto" in hint.subject
    assert "berta" in hint.body
    assert "/konto/passwort-vergessen/" in hint.body
    assert "/konto/bestaetigen/" not in hint.body


def cancel_link(message):
    return re.search(r"http\S+/konto/registrierung-verwerfen/\S+/", message.body).group(0)


def test_second_signup_keeps_the_pending_account_and_the_owner_decides(client):
    first = client.post(URL, GOOD)
    first_link = path_of(confirm_link(mail.outbox[0]))
    second = client.post(
        URL,
        {
            **GOOD,
            "username": "jemand-anders",
            "password1": "Andere-Blume-9",
            "password2": "Andere-Blume-9",
        },
    )
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]  # the same answer as any sign-up
    users = get_user_model().objects.filter(email__iexact=GOOD["email"])
    assert [user.username for user in users] == ["neue-nachbarin"]
    assert users.get().check_password(GOOD["password1"])
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert notice.to == ["Nachbarin@example.org"]
    assert "Erneute Registrierung" in notice.subject
    assert "neue-nachbarin" in notice.body
    assert "jemand-anders" not in notice.body
    assert "/konto/passwort-vergessen/" in notice.body
    # the owner may confirm (with either link) ...
    client.get(path_of(confirm_link(notice)))
    assert users.get().is_active
    assert "Dieser Link gilt nicht mehr" in client.get(first_link).content.decode()
    # ... and then the link to drop the sign-up is void
    page = client.get(path_of(cancel_link(notice)))
    assert "Dieser Link gilt nicht mehr" in page.content.decode()
    client.post(path_of(cancel_link(notice)))
    assert users.get().is_active


def test_the_owner_may_drop_the_pending_sign_up_and_start_afresh(client):
    client.post(URL, GOOD)
    client.post(URL, {**GOOD, "username": "jemand-anders"})
    link = path_of(cancel_link(mail.outbox[1]))
    page = client.get(link)  # a mail scanner following the link deletes nothing
    assert "Registrierung verwerfen?" in page.content.decode()
    assert get_user_model().objects.filter(username="neue-nachbarin").exists()
    page = client.post(link)
    assert "Die Registrierung ist verworfen" in page.content.decode()
    assert not get_user_model().objects.filter(email__iexact=GOOD["email"]).exists()
    assert "Dieser Link gilt nicht mehr" in client.post(link).content.decode()
    client.post(URL, {**GOOD, "username": "richtige-person"})
    client.get(path_of(confirm_link(mail.outbox[-1])))
    assert get_user_model().objects.get(email__iexact=GOOD["email"]).username == "richtige-person"


@pytest.mark.parametrize(
    "token", ["nonsense", "x" * 500, signing.dumps([1, 2], salt=services.CANCEL_SALT)]
)
def test_broken_cancel_links_are_refused(client, token):
    client.post(URL, GOOD)
    response = client.post(reverse("accounts:signup-cancel", args=[token]))
    assert "Dieser Link gilt nicht mehr" in response.content.decode()
    assert get_user_model().objects.filter(username="neue-nachbarin").exists()


def test_a_confirmation_link_is_no_cancel_link(client):
    client.post(URL, GOOD)
    token = path_of(confirm_link(mail.outbox[0])).rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("accounts:signup-cancel", args=[token]))
    assert get_user_model().objects.filter(username="neue-nachbarin").exists()


class CountingHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("state", ["new", "pending", "confirmed"])
def test_every_path_costs_one_password_hash_and_one_mail(client, settings, state):
    """The answer's time must not tell whether an address is registered: a new address hashed
    a password (~350 ms with PBKDF2) and a registered one did not (~20 ms)."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    if state == "pending":
        services.account_register(username="zuerst", email=GOOD["email"], password="x-y-z-1-2-3")
    elif state == "confirmed":
        make_user("zuerst", email=GOOD["email"].lower())
    mail.outbox.clear()
    CountingHasher.calls = 0
    response = client.post(URL, GOOD)
    assert response.status_code == 302
    assert CountingHasher.calls == 1
    assert len(mail.outbox) == 1


def test_taken_username_is_reported(client):
    make_user("Berta")
    response = client.post(URL, {**GOOD, "username": "berta"})
    assert response.status_code == 200
    assert "schon vergeben" in response.content.decode()


def bad_inputs():
    return {
        "empty": ({}, ["username", "email", "password1", "password2", "privacy"]),
        "huge": (
            {**GOOD, "username": "a" * 5000, "email": "a" * 5000 + "@x.de"},
            ["username", "email"],
        ),
        "mismatch": ({**GOOD, "password2": "Etwas-ganz-anderes-9"}, ["password2"]),
        "short": ({**GOOD, "password1": "kurz", "password2": "kurz"}, ["password1"]),
        "common": ({**GOOD, "password1": "password123", "password2": "password123"}, ["password1"]),
        "numeric": ({**GOOD, "password1": "4711081547", "password2": "4711081547"}, ["password1"]),
        "similar": (
            {**GOOD, "password1": "neue-nachbarin", "password2": "neue-nachbarin"},
            ["password1"],
        ),
        "bad email": ({**GOOD, "email": "keine-adresse"}, ["email"]),
        "wrong type": ({**GOOD, "email": ["a@b.de", "c@d.de"], "privacy": "vielleicht"}, []),
        "at sign": ({**GOOD, "username": "berta@example.org"}, ["username"]),
        "html": ({**GOOD, "username": "<script>alert(1)</script>"}, ["username"]),
        "no consent": ({**{k: v for k, v in GOOD.items() if k != "privacy"}}, ["privacy"]),
        "honeypot": ({**GOOD, "website": "http://spam.example"}, ["website"]),
    }


@pytest.mark.parametrize("case", list(bad_inputs()))
def test_bad_input_is_refused_in_german_and_keeps_what_was_typed(client, case):
    data, fields = bad_inputs()[case]
    response = client.post(URL, data)
    if case == "wrong type":
        # The last value of a repeated field wins; nothing crashes.
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 200
    form = response.context["form"]
    for field in fields:
        assert field in form.errors, (case, form.errors)
    body = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in body
    assert "<script>alert(1)</script>" not in body
    if case == "html":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    if case == "mismatch":
        assert 'value="neue-nachbarin"' in body
        assert "stimmen nicht überein" in body
    if case in {"short", "common", "numeric"}:
        assert "Passwort" in str(form.errors["password1"])
        assert "This password" not in str(form.errors["password1"])
    assert get_user_model().objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_per_email(client):
    for i in range(5):
        client.post(URL, {**GOOD, "username": f"person{i}"}, REMOTE_ADDR=f"10.0.0.{i}")
    response = client.post(URL, {**GOOD, "username": "person9"}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 200
    assert "sehr oft abgeschickt" in response.content.decode()
    assert not get_user_model().objects.filter(username="person9").exists()


def test_signed_in_people_go_to_their_account(client):
    client.force_login(make_user())
    response = client.get(URL)
    assert response["Location"] == reverse("accounts:overview")


def test_purge_removes_only_stale_unconfirmed_accounts():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = timezone.now() - timedelta(days=8)
    make_user("stale", is_active=False, date_joined=old)
    make_user("fresh", is_active=False)
    make_user("used", is_active=False, date_joined=old, last_login=old)
    make_user("active", date_joined=old)
    out = io.StringIO()
    call_command("purge_unconfirmed_accounts", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == [
        "active",
        "fresh",
        "used",
    ]
