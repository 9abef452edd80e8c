"""Rate limits on all public forms: a census of every public view that takes a POST.

Each one is either limited — and named here with the test that proves its limit — or listed
with the reason it needs none. A new public form fails `test_every_public_post_view_is_listed`
until someone decides which it is. The limits for comments and flags are proved here; the
others live beside their forms' tests.
"""

import importlib

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_area, make_user
from tests.participation.helpers import make_idea
from tests.security.urls import all_paths

pytestmark = pytest.mark.django_db

LIMITED = {
    "login": "tests.quartier.test_accounts_login::test_throttle_per_ip",
    "signup": "tests.quartier.test_accounts_signup::test_rate_limit_per_email",
    "password-reset": "tests.quartier.test_accounts_password::test_reset_is_throttled",
    "barrierefreiheit": "tests.quartier.test_legal_pages::test_barrier_report_rate_limited",
    "idea-create": "tests.participation.test_submit::test_rate_limit_per_email",
    "idea-comment": "tests.security.test_rate_limits::test_comments_and_flags_are_limited",
    "idea-flag": "tests.security.test_rate_limits::test_comments_and_flags_are_limited",
    "meeting-detail": "tests.participation.test_meetings_pages::test_honeypot_and_rate_limit",
    "mood": "tests.participation.test_feedback::test_honeypot_and_rate_limit",
    "subscription-create": "tests.participation.test_subscriptions::test_rate_limit_for_visitors",
    "subscription-place": "tests.security.test_rate_limits::test_place_follow_is_limited",
    "join-request": "tests.network.test_join_request::test_rate_limit",
    "fund-apply": "tests.participation.test_funds_pages::test_honeypot_and_rate_limit",
    "otp-setup": "tests.quartier.test_second_factor::test_enrolment_is_throttled",
    "otp-verify": "tests.quartier.test_second_factor::test_verification_is_throttled",
    "survey-detail": "tests.participation.test_surveys::test_visitors_are_limited_per_network",
    "my-quarter": "tests.participation.test_my_quarter::test_visitors_are_limited_per_network",
}

NOT_LIMITED = {
    "logout": "ends only the caller's own session",
    "password-reset-confirm": "needs the mailed single-use link; the request for it is limited",
    "password-change": "logged in, own account only, needs the current password",
    "data-export": "logged in, own data only, writes nothing",
    "delete": "logged in, own account only, needs the password",
    "idea-support": "logged in; one support per account and idea, sending it again changes nothing",
    "idea-unsupport": "logged in, own support only; withdrawing twice changes nothing",
    "meeting-cancel-registration": "needs the mailed link; cancelling twice changes nothing",
    "subscription-edit": "logged in, own subscriptions only",
    "subscription-delete": "logged in, own subscriptions only",
    "subscription-confirm": "needs the mailed signed link; confirming twice changes nothing",
    "subscription-manage": "needs the mailed signed link; changes only that subscription",
    "subscription-unsubscribe": "needs the mailed signed link (RFC 8058); idempotent",
    "partner-edit": "partner accounts only, every change logged for the network team",
    "partner-event-create": "partner accounts only; events wait for the quarter team's approval",
    "partner-feed-create": "partner accounts only; a feed is imported only once staff approve it",
    "office-answer": "needs the mailed signed link; one answer per request, a second is refused",
    "office-request": "logged in with an office's account, its own requests only, one answer each",
    "signup-cancel": "needs the mailed signed link; deletes only that unconfirmed account",
    "fund-application-link": (
        "needs the mailed signed link (with expiry); a new link is mailed at most 5 times an hour"
    ),
    "body-votes": "logged in, current members of a body only; one vote per member and application",
    "otp-recovery-codes": "staff with a verified second factor, replaces only their own codes",
    "survey-interview": "area staff only; every interview records its interviewer",
}


def public_post_views():
    found = {}
    for path, callback, name in all_paths():
        if path.startswith(("/verwaltung/", "/media/", "/en/")):
            continue
        view_class = getattr(callback, "view_class", None)
        takes_post = "post" in getattr(view_class, "http_method_names", ())
        if takes_post and hasattr(view_class, "post"):
            found[name] = path
    return found


def test_every_public_post_view_is_listed():
    found = public_post_views()
    assert set(found) == set(LIMITED) | set(NOT_LIMITED), (
        "decide for each public POST view whether it needs a rate limit: "
        f"unlisted {sorted(set(found) - set(LIMITED) - set(NOT_LIMITED))}, "
        f"gone {sorted(set(LIMITED) | set(NOT_LIMITED) - set(found))}"
    )
    assert not set(LIMITED) & set(NOT_LIMITED)


@pytest.mark.parametrize("name", sorted(LIMITED))
def test_the_named_limit_test_exists(name):
    module, function = LIMITED[name].split("::")
    assert callable(getattr(importlib.import_module(module), function, None)), LIMITED[name]


def test_function_views_take_no_post():
    """Feeds, maps, calendars and open data only read: a POST is refused, not answered."""
    client = Client()
    for path, callback, name in all_paths():
        if path.startswith(("/verwaltung/", "/media/")) or hasattr(callback, "view_class"):
            continue
        if name == "healthz":
            continue
        status = client.post(path, {"x": "1"}).status_code
        assert status in {404, 405}, (path, status)  # 404: the sample object is missing


@pytest.fixture
def idea():
    return make_idea(make_area("Südstadt"))


def test_comments_and_flags_are_limited(client, settings, idea):
    settings.RATELIMIT_ENABLED = True
    client.force_login(make_user("vielschreiberin"))
    url = reverse("participation:idea-comment", kwargs={"pk": idea.pk})
    for number in range(20):
        response = client.post(url, {"text": f"Gute Idee Nummer {number}"})
        assert response.status_code == 302
    response = client.post(url, {"text": "Noch ein Kommentar"})
    assert response.status_code == 429
    assert "sehr oft abgeschickt" in response.content.decode()
    assert "Noch ein Kommentar" in response.content.decode()  # what was typed is kept
    assert idea.comments.count() == 20

    url = reverse("participation:idea-flag", kwargs={"pk": idea.pk})
    for _number in range(10):
        assert client.post(url, {"reason": "spam"}).status_code in {200, 302}
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 429
    assert "sehr oft abgeschickt" in response.content.decode()


def test_place_follow_is_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    area = make_area("Südstadt")
    url = "/benachrichtigungen/ort/"

    def follow(number):
        data = {"email": f"nachbar{number}@example.org", "area": area.pk, "radius_m": "1000"}
        return client.post(url, {**data, "notify_ideas": "on", "frequency": "weekly"})

    assert [follow(number).status_code for number in range(10)] == [302] * 10
    response = follow(10)
    assert "sehr oft abgeschickt" in response.content.decode()
    assert "nachbar10@example.org" in response.content.decode()  # what was typed is kept
