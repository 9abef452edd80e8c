"""The anonymous page cache (quartier.pagecache): served from memory, invalidated on change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quartier.pagecache import VERSION_KEY, clear_local, content_version
from tests.factories import make_area, make_user, square

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    clear_local()
    yield
    clear_local()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_second_anonymous_request_is_served_without_queries(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    first, first_queries = queries_for(client, "/quartiere/")
    second, second_queries = queries_for(Client(), "/quartiere/")
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert "Nordstadt" in second.content.decode()


def test_cached_page_keeps_security_headers_without_nonce(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    first = client.get("/quartiere/")
    second = Client().get("/quartiere/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert second[header] == first[header]
    assert "nonce-" not in second["Content-Security-Policy"]
    assert "unsafe-inline" not in second["Content-Security-Policy"]


def test_change_through_a_save_invalidates(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    assert "Weststadt" not in client.get("/quartiere/").content.decode()
    make_area("Weststadt", boundary=square(7.40, 51.51))
    assert "Weststadt" in Client().get("/quartiere/").content.decode()


def test_change_through_queryset_update_after_a_post_invalidates(client):
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    client.get("/quartiere/")
    before = content_version()
    from neighbourhoods.models import Area

    Area.objects.filter(pk=area.pk).update(name="Nordviertel")  # sends no signal
    Client().post("/ideen/neu/", {})  # any write request bumps the version
    assert content_version() > before
    assert "Nordviertel" in Client().get("/quartiere/").content.decode()


def test_logged_in_visitor_never_gets_the_anonymous_page(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/quartiere/")  # now cached for anonymous visitors
    user = make_user("erika")
    client.force_login(user)
    response, queries = queries_for(client, "/quartiere/")
    assert queries > 0
    assert "Mein Konto" in response.content.decode()
    assert "Mein Konto" not in Client().get("/quartiere/").content.decode()


def token_in(response):
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_pages_with_forms_are_cached_with_each_visitors_own_csrf_token(settings):
    settings.MOOD_MIN_ANSWERS = 1
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    one = first.get("/stimmung/")
    two, queries = queries_for(second, "/stimmung/")
    assert queries <= 1  # from the cache (at most a session-less CSRF check, no page queries)
    assert "__quartier_csrf_token__" not in two.content.decode()
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert token_in(one) != token_in(two)
    assert one.cookies["csrftoken"].value not in two.content.decode()
    response = second.post(
        "/stimmung/", {"csrfmiddlewaretoken": token_in(two), "area": area.pk, "score": 4}
    )
    assert response.status_code != 403
    # someone else's token from the first visitor does not work for the second
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/stimmung/")
    refused = stranger.post(
        "/stimmung/", {"csrfmiddlewaretoken": token_in(one), "area": area.pk, "score": 4}
    )
    assert refused.status_code == 403


def test_visitor_with_a_csrf_cookie_keeps_it_on_a_cached_form_page(settings):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/stimmung/")  # cached now
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/quartiere/")
    visitor.get("/stimmung/")
    cookie = visitor.cookies["csrftoken"].value
    page = visitor.get("/stimmung/")
    assert visitor.cookies["csrftoken"].value == cookie
    response = visitor.post("/stimmung/", {"csrfmiddlewaretoken": token_in(page), "score": 4})
    assert response.status_code != 403


def test_languages_are_cached_apart(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    german = client.get("/quartiere/")
    english = Client().get("/en/quartiere/")
    assert german.content != english.content
    assert Client().get("/en/quartiere/").content == english.content


def test_version_lives_in_the_shared_cache(client):
    from django.core.cache import cache

    client.get("/quartiere/")
    assert cache.get(VERSION_KEY) == content_version()


def test_off_when_seconds_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    client.get("/quartiere/")
    _response, queries = queries_for(Client(), "/quartiere/")
    assert queries > 0
