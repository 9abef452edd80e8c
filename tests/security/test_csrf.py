"""CSRF: every URL of the portal refuses a POST without a token.

The CSRF middleware checks before the view runs, so a POST to any resolvable path — whether
the view takes POST or not, whether the object exists or not — must be refused with 403.
Views that must accept cross-site POSTs (e.g. RFC 8058 one-click unsubscribe) are exempt only
when they carry both `csrf_exempt = True` and a `csrf_exempt_reason` string.
"""

import pytest
from django.test import Client

from tests.factories import make_user
from tests.security.urls import all_paths

pytestmark = pytest.mark.django_db

PATHS = [(path, callback, name) for path, callback, name in all_paths() if path != "/healthz"]


def _exempt(callback):
    return getattr(callback, "csrf_exempt", False)


def test_every_pattern_is_walked():
    names = {name for _path, _callback, name in PATHS}
    # A few from every app and the admin: the walk reaches all included URL confs.
    assert {"idea-create", "meeting-detail", "join-request", "mood", "signup", "login"} <= names
    assert {"barrierefreiheit", "participation_meeting_participants", "partner-edit"} <= names
    assert sum(1 for path, _c, _n in PATHS if path.startswith("/verwaltung/")) > 50


def test_csrf_exempt_views_say_why():
    for path, callback, _name in PATHS:
        if _exempt(callback):
            assert getattr(callback, "csrf_exempt_reason", ""), (
                f"{path} is csrf_exempt without csrf_exempt_reason"
            )


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "staff"])
def test_post_without_token_is_refused_everywhere(logged_in):
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(make_user("chefin", is_staff=True, is_superuser=True))
    accepted = []
    for path, callback, _name in PATHS:
        if _exempt(callback):
            continue
        public = not path.startswith(("/verwaltung/", "/media/"))
        for prefix in ("", "/en") if public else ("",):
            response = client.post(prefix + path, {"title": "x", "text": "x"})
            if response.status_code != 403:
                accepted.append((prefix + path, response.status_code))
    assert accepted == []


def test_post_with_token_passes_the_check():
    """The refusal above is the CSRF check, not a view that refuses every POST."""
    client = Client(enforce_csrf_checks=True)
    client.get("/konto/anmelden/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/konto/anmelden/",
        {"username": "niemand", "password": "x", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200  # the form with its error, not 403
