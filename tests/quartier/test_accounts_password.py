"""Password reset (same answer for every address, throttled, one-time links) and change."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

URL = reverse("accounts:password-reset")
NEW = "Lindenbaum-im-Hof-42"


def reset_path():
    return urlsplit(
        re.search(r"http\S+/konto/passwort-neu/\S+/", mail.outbox[-1].body).group(0)
    ).path


def test_same_answer_whether_or_not_the_account_exists(client):
    make_user("berta", email="berta@example.org")
    known = client.post(URL, {"email": "BERTA@example.org"})
    unknown = client.post(URL, {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["berta@example.org"]
    assert "berta" in mail.outbox[0].body


def test_reset_link_uses_site_url_not_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://quartier.example"
    make_user("berta", email="berta@example.org")
    client.post(URL, {"email": "berta@example.org"}, HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body
    assert "https://quartier.example/konto/passwort-neu/" in mail.outbox[0].body


def test_reset_link_works_once(client):
    user = make_user("berta", email="berta@example.org")
    client.post(URL, {"email": "berta@example.org"})
    path = reset_path()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW)

    reuse = client.get(path, follow=True)
    assert not reuse.context["validlink"]
    assert "Dieser Link gilt nicht mehr" in reuse.content.decode()
    replay = client.post(
        set_url, {"new_password1": "Noch-ein-Passwort-77", "new_password2": "Noch-ein-Passwort-77"}
    )
    assert replay.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_weak_or_mismatched_new_password(client):
    make_user("berta", email="berta@example.org")
    client.post(URL, {"email": "berta@example.org"})
    set_url = client.get(reset_path(), follow=True).redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "new_password2" in weak.context["form"].errors
    mismatch = client.post(set_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "stimmen nicht überein" in mismatch.content.decode()


def test_inactive_accounts_get_no_reset_mail(client):
    make_user("schlaefer", email="s@example.org", is_active=False)
    client.post(URL, {"email": "s@example.org"})
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data,field",
    [
        ({}, "email"),
        ({"email": "keine adresse"}, "email"),
        ({"email": "a" * 3000 + "@example.org"}, "email"),
        ({"email": "<script>@x.de"}, "email"),
        ({"email": "a@example.org", "website": "spam"}, "website"),
    ],
)
def test_bad_input(client, data, field):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "<script>" not in response.content.decode()
    assert mail.outbox == []


def test_reset_is_throttled(client):
    make_user("berta", email="berta@example.org")
    for i in range(5):
        client.post(URL, {"email": "berta@example.org"}, REMOTE_ADDR=f"10.0.0.{i}")
    response = client.post(URL, {"email": "berta@example.org"}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 200
    assert "sehr oft abgeschickt" in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_change_keeps_the_session(client):
    user = make_user("berta")
    client.force_login(user)
    url = reverse("accounts:password-change")
    wrong = client.post(url, {"old_password": "falsch", "new_password1": NEW, "new_password2": NEW})
    assert "bisherige Passwort stimmt nicht" in wrong.content.decode()
    response = client.post(
        url, {"old_password": "geheim-und-lang-genug", "new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == reverse("accounts:overview")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_password_change_needs_log_in(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
