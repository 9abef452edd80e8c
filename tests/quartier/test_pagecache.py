"""The anonymous page cache (quartier.pagecache): served from memory, invalidated on change."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quartier.models import RateCounter
from quartier.pagecache import (
    TABLE_PREFIX,
    VERSION_KEY,
    clear_local,
    content_changed,
    content_version,
)
from tests.factories import make_area, make_user, square
from tests.participation.helpers import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    clear_local()
    yield
    clear_local()


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
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


@pytest.mark.urls("tests.quartier.pagecache_urls")
def test_successful_write_request_without_signal_invalidates(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    client.get("/quartiere/")
    before = content_version()
    client.post("/test/umbenennen/", {"name": "Nordviertel"})  # queryset.update: no signal
    assert content_version() > before
    assert "Nordviertel" in Client().get("/quartiere/").content.decode()


@pytest.mark.urls("tests.quartier.pagecache_urls")
def test_refused_write_request_does_not_invalidate(client):
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    before = content_version()
    client.post("/test/umbenennen/", {"name": "Nordviertel", "status": "409"})
    assert content_version() == before


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


def test_versions_live_in_the_shared_cache(client):
    from django.core.cache import cache

    client.get("/quartiere/")
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    assert cache.get(VERSION_KEY) == content_version() > 1
    assert cache.get(TABLE_PREFIX + "neighbourhoods_area") > 1


def test_off_when_seconds_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    client.get("/quartiere/")
    _response, queries = queries_for(Client(), "/quartiere/")
    assert queries > 0


def assert_from_cache(url, **extra):
    response, queries = queries_for(Client(), url, **extra)
    assert response.status_code == 200
    assert queries == 0, f"{url} was rendered again"
    assert int(response["Age"]) >= 0
    return response


def test_flood_of_refused_posts_keeps_every_page_cached(settings):
    """403 (no CSRF token), 405 (a read-only URL), 429 (rate limit), 400 and 200 with form
    errors: none of them changed anything, so none of them empties the cache."""
    settings.RATELIMIT_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 3600  # the posts may take longer than a minute here
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    idea = make_idea(area)
    visitor = Client(enforce_csrf_checks=True)
    form_page = visitor.get("/stimmung/")
    statement = visitor.get("/barrierefreiheit/")
    flags = Client()
    for _ in range(11):  # the 11th flag within the hour is refused with 429
        last = flags.post(f"/ideen/{idea.pk}/melden/", {"reason": "Werbung"})
    assert last.status_code == 429
    pages = ["/", "/quartiere/", f"/ideen/{idea.pk}/", "/ideen/"]
    for url in pages:
        Client().get(url)
    version = content_version()
    statuses = set()
    for _ in range(20):
        statuses.add(Client(enforce_csrf_checks=True).post("/stimmung/", {"score": 4}).status_code)
        statuses.add(Client().post("/ideen.geojson", {}).status_code)
        statuses.add(Client().post("/feed/", {}).status_code)
        statuses.add(flags.post(f"/ideen/{idea.pk}/melden/", {"reason": "x"}).status_code)
        statuses.add(
            visitor.post(
                "/stimmung/", {"csrfmiddlewaretoken": token_in(form_page), "score": "kaputt"}
            ).status_code
        )
        statuses.add(
            visitor.post(
                "/barrierefreiheit/", {"csrfmiddlewaretoken": token_in(statement), "email": "x"}
            ).status_code
        )
    assert statuses == {200, 400, 403, 405, 429}
    assert content_version() == version
    for url in pages:
        assert_from_cache(url)


def test_made_up_session_cookie_is_served_from_the_cache():
    from django.contrib.sessions.models import Session

    make_area("Nordstadt", boundary=square(7.46, 51.51))
    first = Client().get("/quartiere/")
    stranger = Client()
    for key in ("x" * 32, "abc", "0123456789abcdefghijklmnopqrstuv"):
        stranger.cookies["sessionid"] = key
        response, queries = queries_for(stranger, "/quartiere/")
        assert response.content == first.content
        assert queries <= 1  # at most the lookup of the session key, no page queries
        assert "Age" in response
    assert not Session.objects.exists()  # nothing was created for them


def test_expired_session_counts_as_none():
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/quartiere/")
    store = SessionStore()
    store["something"] = 1
    store.set_expiry(timezone.now() + timedelta(seconds=1))
    store.create()
    from django.contrib.sessions.models import Session

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    visitor = Client()
    visitor.cookies["sessionid"] = store.session_key
    response, queries = queries_for(visitor, "/quartiere/")
    assert queries <= 1 and "Age" in response


def test_a_real_session_is_not_served_from_the_cache():
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/quartiere/")
    visitor = Client()
    session = visitor.session
    session["last_idea"] = 1
    session.save()
    visitor.cookies["sessionid"] = session.session_key
    response, queries = queries_for(visitor, "/quartiere/")
    assert queries > 1 and "Age" not in response


def test_forged_messages_cookie_is_served_from_the_cache():
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/quartiere/")
    visitor = Client()
    visitor.cookies["messages"] = "erfunden:abc"
    assert_from_cache("/quartiere/")
    response, queries = queries_for(visitor, "/quartiere/")
    assert queries == 0


def test_unknown_query_parameters_neither_miss_nor_add_entries():
    from quartier.pagecache import _pages

    make_area("Nordstadt", boundary=square(7.46, 51.51))
    Client().get("/quartiere/")
    entries = len(_pages)
    for number in range(30):
        response = assert_from_cache(f"/quartiere/?x={number}&utm_source=spam{number}")
        assert f"spam{number}" not in response.content.decode()
    assert len(_pages) == entries


def test_unknown_parameters_on_a_first_visit_are_left_out_of_the_page():
    from quartier.pagecache import _pages

    make_area("Nordstadt", boundary=square(7.46, 51.51))
    first = Client().get("/quartiere/?x=1")
    assert "x=1" in first.content.decode()  # rendered for the request as it came
    second = Client().get("/quartiere/?x=2")  # rendered without x, and kept
    assert "x=2" not in second.content.decode()
    entries = len(_pages)
    for number in range(3, 20):
        page = assert_from_cache(f"/quartiere/?x={number}").content.decode()
        assert f"x={number}" not in page and "?x=" not in page
    assert_from_cache("/quartiere/")
    assert len(_pages) == entries


def test_parameters_a_page_asks_for_are_part_of_the_key():
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    plain = Client().get("/barrierefreiheit/")  # the form is filled from ?seite=
    assert 'value="/ideen/"' not in plain.content.decode()
    with_page = Client().get("/barrierefreiheit/?seite=/ideen/")
    assert 'value="/ideen/"' in with_page.content.decode()
    again = assert_from_cache("/barrierefreiheit/?x=1&seite=/ideen/")
    assert 'value="/ideen/"' in again.content.decode()
    assert 'value="/ideen/"' not in assert_from_cache("/barrierefreiheit/").content.decode()


@pytest.mark.urls("tests.quartier.pagecache_urls")
def test_a_parameter_asked_for_only_sometimes_is_never_left_out():
    assert Client().get("/test/bedingt/?a=0&b=2").content == b"a=0"
    assert Client().get("/test/bedingt/?a=0&b=3").content == b"a=0"  # kept without b
    assert Client().get("/test/bedingt/?a=1&b=2").content == b"a=1 b=2"
    assert Client().get("/test/bedingt/?a=1&b=3").content == b"a=1 b=3"
    assert Client().get("/test/bedingt/?a=1&b=2").content == b"a=1 b=2"


@pytest.mark.urls("tests.quartier.pagecache_urls")
def test_long_queries_are_never_kept():
    from quartier.pagecache import Page, _pages

    long_value = "y" * 2000
    Client().get(f"/test/bedingt/?a={long_value}")
    assert "Age" not in Client().get(f"/test/bedingt/?a={long_value}")
    assert not any(isinstance(entry[2], Page) for entry in _pages._entries.values())
    Client().get("/test/bedingt/?a=short")
    assert "Age" in Client().get("/test/bedingt/?a=short")


@pytest.mark.urls("tests.quartier.pagecache_urls")
def test_store_is_bounded_by_bytes_and_keeps_no_large_page(settings):
    from quartier.pagecache import _pages

    settings.PAGE_CACHE_MAX_ENTRY_BYTES = 512 * 1024
    settings.PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
    Client().get("/test/gross/?bytes=600000")
    assert "Age" not in Client().get("/test/gross/?bytes=600000")  # too large to keep
    assert _pages.bytes < 10_000
    for size in range(100_000, 100_040):
        Client().get(f"/test/gross/?bytes={size}")
        assert _pages.bytes <= settings.PAGE_CACHE_MAX_BYTES
    assert _pages.bytes > settings.PAGE_CACHE_MAX_BYTES - 200_000
    assert "Age" in Client().get("/test/gross/?bytes=100039")  # the newest are kept
    assert "Age" not in Client().get("/test/gross/?bytes=100000")  # the oldest went first


def test_age_header_only_on_pages_from_the_cache():
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    assert "Age" not in Client().get("/quartiere/")
    assert int(Client().get("/quartiere/")["Age"]) >= 0  # seconds: 0 unless the machine crawls


def test_version_goes_up_again_after_the_commit(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_area("Nordstadt", boundary=square(7.46, 51.51))
        during = content_version()
        make_area("Südstadt", boundary=square(7.46, 51.49))
    # a page rendered from the old rows while the transaction ran is not served afterwards
    assert content_version() > during + 1


def test_filtered_lists_are_kept_apart_and_ignore_unknown_parameters():
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    make_idea(area, title="Eine Bank am Markt", kind="idea")
    make_idea(area, title="Zu dunkle Unterführung", kind="weakness")
    ideas = Client().get("/ideen/?kind=idea").content.decode()
    weaknesses = Client().get("/ideen/?kind=weakness").content.decode()
    assert "Eine Bank" in ideas and "Unterführung" not in ideas
    assert "Unterführung" in weaknesses and "Eine Bank" not in weaknesses
    again = assert_from_cache("/ideen/?utm_source=x&kind=weakness").content.decode()
    assert "Unterführung" in again and "Eine Bank" not in again
    assert "utm_source" not in again
    everything = Client().get("/ideen/").content.decode()
    assert "Eine Bank" in everything and "Unterführung" in everything


def test_200_refused_posts_with_database_counters_keep_pages_in_the_store(settings, monkeypatch):
    """The flood of soak.py --flood and more: posts without a token (403), empty forms (400),
    failed log-ins and password resets for unknown addresses (200/302: they write nothing but
    a rate-limit counter, which with a non-Redis cache is a row of quartier_ratecounter).
    None of them changes a page, so afterwards every page still comes from the store."""
    from quartier import counters

    monkeypatch.setattr(counters, "_redis", lambda: None)  # database counters, whatever the cache
    settings.RATELIMIT_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 3600  # 200 posts may take longer than a minute here
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    idea = make_idea(area)
    pages = ["/", "/ideen/", f"/ideen/{idea.pk}/"]
    for url in pages:
        Client().get(url)
    version = content_version()
    statuses = Counter()
    for number in range(40):
        visitor = Client(enforce_csrf_checks=True)
        statuses[visitor.post("/ideen/neu/", {"title": "Flut"}).status_code] += 1
        form_page = visitor.get("/stimmung/")
        statuses[
            visitor.post("/stimmung/", {"csrfmiddlewaretoken": token_in(form_page)}).status_code
        ] += 1
        anybody = Client()
        statuses[anybody.post("/ideen/neu/", {}).status_code] += 1
        statuses[
            anybody.post(
                "/konto/anmelden/", {"username": f"x{number}", "password": "falsch"}
            ).status_code
        ] += 1
        statuses[
            anybody.post(
                "/konto/passwort-vergessen/", {"email": f"n{number}@example.org"}
            ).status_code
        ] += 1
    assert sum(statuses.values()) == 200
    assert not set(statuses) - {200, 302, 400, 403, 429}, statuses
    assert RateCounter.objects.exists()  # the counters were written to the database
    assert content_version() == version
    for url in pages:
        assert_from_cache(url)


# --- keyed by what the page read (tables and fragment scopes) ------------------------------


def test_a_support_in_one_area_leaves_the_other_area_s_page_in_the_store(settings):
    """The area page's idea figures come from fragments of `area:<id>`: a support in Nordstadt
    raises the tables participation_support and participation_idea and the scope of
    Nordstadt, none of which Südstadt's page read itself."""
    settings.FRAGMENT_CACHE_SECONDS = 300
    nord = make_area("Nordstadt", boundary=square(7.46, 51.51))
    sued = make_area("Südstadt", boundary=square(7.40, 51.47))
    idea = make_idea(nord)
    make_idea(sued, title="Ein Brunnen")
    for url in (f"/quartiere/{sued.slug}/", f"/quartiere/{nord.slug}/", f"/ideen/{idea.pk}/"):
        Client().get(url)
    supporter = Client()
    supporter.force_login(make_user("erika"))
    assert supporter.post(f"/ideen/{idea.pk}/unterstuetzen/").status_code == 302
    assert_from_cache(f"/quartiere/{sued.slug}/")
    nord_page, queries = queries_for(Client(), f"/quartiere/{nord.slug}/")
    assert queries > 0 and "Age" not in nord_page
    idea_page, queries = queries_for(Client(), f"/ideen/{idea.pk}/")
    assert queries > 0 and "Age" not in idea_page  # it reads participation_idea itself


def test_a_mood_answer_leaves_the_idea_list_and_shows_on_the_mood_page(settings):
    settings.MOOD_MIN_ANSWERS = 1
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    make_idea(area)
    Client().get("/ideen/")
    Client().get("/stimmung/")
    from participation.feedback.models import MoodAnswer

    MoodAnswer.objects.create(area=area, score=5, month=datetime.date.today().replace(day=1))
    assert_from_cache("/ideen/")
    _page, queries = queries_for(Client(), "/stimmung/")
    assert queries > 0


def test_a_write_without_tables_makes_every_page_stale():
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    make_idea(area)
    for url in ("/quartiere/", "/ideen/"):
        Client().get(url)
    content_changed()  # a bulk load (seed_bench): no signal says which tables
    for url in ("/quartiere/", "/ideen/"):
        _page, queries = queries_for(Client(), url)
        assert queries > 0


def test_a_page_rendered_while_a_write_commits_is_not_kept(monkeypatch):
    """First visit: the page's dependencies are learnt while it is rendered. If anything was
    written meanwhile (the guard moved), the page is not kept: it may show the old rows under
    the new versions. The next visit knows the dependencies and reads them first."""
    from quartier import pagecache

    make_area("Nordstadt", boundary=square(7.46, 51.51))
    original = pagecache.PageReads.dependencies

    def dependencies(self):
        content_changed(tables={"participation_moodanswer"})  # a write elsewhere meanwhile
        return original(self)

    monkeypatch.setattr(pagecache.PageReads, "dependencies", dependencies)
    Client().get("/quartiere/")
    _page, queries = queries_for(Client(), "/quartiere/")
    assert queries > 0  # not kept the first time
    monkeypatch.setattr(pagecache.PageReads, "dependencies", original)
    Client().get("/quartiere/")  # dependencies known: versions read before rendering
    assert_from_cache("/quartiere/")
