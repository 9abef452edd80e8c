"""A flood of refused anonymous POSTs is answered 429 at once (quartier.ratelimit.
RefusedPostsMiddleware): after REFUSED_POSTS_LIMIT refusals (403 without a CSRF token, 400 for
a form with errors) from one client network, until the window ends — reading, other visitors
and signed-in accounts are untouched, accepted posts never count."""

import pytest
from django.test import Client
from django.urls import reverse

from participation.feedback.models import MoodAnswer
from quartier import counters
from tests.factories import make_user
from tests.participation.helpers import two_areas

pytestmark = pytest.mark.django_db
LIMIT = 5


@pytest.fixture(autouse=True)
def guard_on(settings):
    """Off in other tests (tests/conftest.py)."""
    settings.REFUSED_POSTS_LIMIT = LIMIT
    settings.REFUSED_POSTS_PERIOD = 600


def visitor(address="203.0.113.7"):
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def test_refused_posts_then_429_at_once_for_that_network_only():
    flooder = visitor()
    path = reverse("participation:idea-create")
    for _ in range(LIMIT):
        assert flooder.post(path, {"title": "Flut"}).status_code == 403
    response = flooder.post(path, {"title": "Flut"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    body = response.content.decode()
    assert "Bitte warten Sie einige Minuten" in body and "Traceback" not in body
    assert response["Content-Security-Policy"]  # the page's security headers as everywhere
    assert flooder.get(path).status_code == 200  # reading goes on
    assert visitor("198.51.100.9").post(path, {"title": "x"}).status_code == 403  # others: as ever


def test_a_form_with_errors_counts_and_a_signed_in_account_is_never_held_up(client):
    north, _south = two_areas()
    path = reverse("participation:mood")
    anonymous = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(LIMIT):
        assert anonymous.post(path, {"area": north.pk}).status_code == 400  # no score
    assert anonymous.post(path, {"area": north.pk}).status_code == 429
    resident = Client(REMOTE_ADDR="203.0.113.8")
    resident.force_login(make_user())
    assert resident.post(path, {"area": north.pk}).status_code == 400  # the form, not 429
    assert not MoodAnswer.objects.exists()


def test_accepted_posts_do_not_count():
    from participation.meetings.models import Registration
    from tests.participation.meeting_factories import make_meeting

    north, _south = two_areas()
    path = make_meeting(north, capacity=50).get_absolute_url()
    neighbours = Client(REMOTE_ADDR="203.0.113.11")  # one address, a whole house signing up
    for number in range(LIMIT + 1):
        data = {"name": f"Nachbar {number}", "email": f"n{number}@example.org", "people": 1}
        assert neighbours.post(path, data).status_code == 302
    assert Registration.objects.count() == LIMIT + 1


def test_the_window_ends(monkeypatch):
    path = reverse("participation:idea-create")
    flooder = visitor("203.0.113.9")
    for _ in range(LIMIT):
        flooder.post(path, {"title": "Flut"})
    assert flooder.post(path, {}).status_code == 429
    now = counters.clock()
    monkeypatch.setattr(counters, "clock", lambda: now + 601)
    if counters._redis() is None:  # Redis ends its window by itself (not in this test's time)
        assert flooder.post(path, {}).status_code == 403


def test_off_with_limit_zero(settings):
    settings.REFUSED_POSTS_LIMIT = 0
    flooder = visitor("203.0.113.10")
    path = reverse("participation:idea-create")
    assert all(flooder.post(path, {}).status_code == 403 for _ in range(LIMIT + 2))


def test_answered_before_any_form_in_the_address_s_language_and_no_way_round_by_cookie():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    flooder = visitor("203.0.113.12")
    path = reverse("participation:idea-create")
    for _ in range(LIMIT):
        flooder.post(path, {})
    with CaptureQueriesContext(connection) as captured:
        response = flooder.post(path, {})
    assert response.status_code == 429 and len(captured) == (0 if counters._redis() else 1)
    english = flooder.post("/en" + path, {})
    assert english.status_code == 429 and "Please wait a few minutes" in english.content.decode()
    flooder.cookies["sessionid"] = "made-up-session-key"
    assert flooder.post(path, {}).status_code == 429
