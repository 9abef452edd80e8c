"""Open redirects: no view sends a visitor to another site through `next=` or similar.

The portal's log-in is covered in depth by tests/quartier/test_accounts_login.py
(test_open_redirect_in_next_is_refused, test_next_to_own_path_is_followed); here every other
view that reads `next` — log-out, the admin's log-in and log-out, the language links — and the
`next` after log-in for each language prefix.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-und-lang-genug"
EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    " https://evil.example",
    "https://127.0.0.1.evil.example/",
    "%2F%2Fevil.example",
]


def _stays_here(response):
    location = response.headers.get("Location", "")
    parts = urlsplit(location.strip())
    return not parts.scheme and not parts.netloc and not location.strip().startswith(("//", "\\"))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_portal_log_in_refuses_foreign_next(client, prefix):
    make_user("berta", password=PASSWORD)
    for target in EVIL:
        response = client.post(
            f"{prefix}/konto/anmelden/?next={target}",
            {"username": "berta", "password": PASSWORD, "next": target},
        )
        assert response.status_code == 302
        assert _stays_here(response), response["Location"]
        client.logout()


def test_log_out_refuses_foreign_next(client):
    berta = make_user("berta")
    for target in EVIL:
        client.force_login(berta)
        response = client.post(f"/konto/abmelden/?next={target}", {"next": target})
        assert response.status_code == 302
        assert _stays_here(response), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_admin_log_in_and_log_out_refuse_foreign_next(client, target):
    make_user("chefin", password=PASSWORD, is_staff=True, is_superuser=True)
    response = client.post(
        f"/verwaltung/login/?next={target}",
        {"username": "chefin", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert _stays_here(response), response["Location"]
    response = client.post(f"/verwaltung/logout/?next={target}", {"next": target})
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert _stays_here(response), response["Location"]


def test_login_required_redirect_keeps_only_the_own_path(client):
    response = client.get("/konto/beitraege/")
    assert response.status_code == 302
    assert _stays_here(response)
    assert "next=/konto/beitraege/" in response["Location"]


def test_language_links_never_point_elsewhere(client):
    """Language links are the current path (query kept, encoded): always on this site."""
    for target in EVIL:
        body = client.get("/ideen/", {"next": target}).content.decode()
        links = re.findall(r'<a href="([^"]*)" hreflang=', body)
        assert links
        for link in links:
            assert link.startswith("/") and not link.startswith("//"), link
            prefixes = [""] + [f"/{code}" for code, _name in settings.LANGUAGES if code != "de"]
            assert urlsplit(link).path in {f"{prefix}/ideen/" for prefix in prefixes}
