"""Behind the README's nginx (REMOTE_ADDR 127.0.0.1, the visitor in X-Forwarded-For), every
limit, throttle and flag counts each visitor, not the proxy."""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.participation.helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def via_proxy(visitor):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": visitor}


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.RATELIMIT_ENABLED = True


def test_one_guesser_does_not_lock_out_the_city(client):
    make_user("berta")
    login = reverse("accounts:login")
    for number in range(40):
        client.post(
            login, {"username": f"name{number}", "password": "x"}, **via_proxy("198.51.100.66")
        )
    guesser = client.post(
        login,
        {"username": "berta", "password": "geheim-und-lang-genug"},
        **via_proxy("198.51.100.66"),
    )
    assert "Zu viele" in guesser.content.decode()
    neighbour = client.post(
        login,
        {"username": "berta", "password": "geheim-und-lang-genug"},
        **via_proxy("198.51.100.7"),
    )
    assert neighbour.status_code == 302


def test_a_spoofed_header_does_not_escape_the_limit(client):
    """Directly at gunicorn (an untrusted peer), a made-up X-Forwarded-For changes nothing."""
    make_user("berta")
    login = reverse("accounts:login")
    for number in range(30):
        client.post(
            login,
            {"username": f"name{number}", "password": "x"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = client.post(
        login,
        {"username": "berta", "password": "geheim-und-lang-genug"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert "Zu viele" in response.content.decode()


def test_the_city_may_submit_more_than_five_ideas_an_hour(client):
    from django.test import Client

    from tests.participation.test_submit import URL, form_data

    two_areas()
    for number in range(8):
        response = Client().post(  # eight people, eight browsers
            URL,
            form_data(author_email=f"person{number}@example.org"),
            **via_proxy(f"198.51.100.{number + 1}"),
        )
        assert response.status_code == 302, number


def test_anonymous_flags_count_each_visitor(client, settings):
    settings.IDEA_FLAG_THRESHOLD = 3
    north, _south = two_areas()
    idea = make_idea(north)
    url = reverse("participation:idea-flag", kwargs={"pk": idea.pk})
    for number in range(3):
        client.post(url, {"action": "flag", "reason": "Spam"}, **via_proxy(f"198.51.100.{number}"))
    idea.refresh_from_db()
    assert idea.is_hidden


def test_one_ipv6_visitor_is_one_reporter(client, settings):
    """An IPv6 connection has a whole /64 to pick addresses from: it counts once."""
    settings.IDEA_FLAG_THRESHOLD = 2
    north, _south = two_areas()
    idea = make_idea(north)
    url = reverse("participation:idea-flag", kwargs={"pk": idea.pk})
    for suffix in ["1", "2", "3"]:
        client.post(
            url, {"action": "flag", "reason": "Spam"}, **via_proxy(f"2001:db8:5:6::{suffix}")
        )
    idea.refresh_from_db()
    assert not idea.is_hidden
    client.post(url, {"action": "flag", "reason": "Spam"}, **via_proxy("2001:db8:5:7::1"))
    idea.refresh_from_db()
    assert idea.is_hidden
