"""Limits and throttles that hold: atomic counters that keep their window, on the database and
on Redis, and the admin's log-in throttled like the portal's."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from quartier import counters
from quartier.accounts.throttle import login_attempt
from quartier.models import RateCounter
from quartier.ratelimit import rate_limit_ok
from tests.factories import make_user

PASSWORD = "geheim-und-lang-genug"
ADMIN_LOGIN = reverse("admin:login")
PORTAL_LOGIN = reverse("accounts:login")
BLOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "quartier_cache",
    }
}


def visitor(ip="198.51.100.1"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


class Clock:
    """The counters' clock and the database cache's, moved by hand (no sleeping)."""

    def __init__(self, monkeypatch):
        import datetime

        import django.core.cache.backends.db as db_cache

        self.now = 1_800_000_000.0
        monkeypatch.setattr(counters, "clock", lambda: self.now)
        monkeypatch.setattr(
            db_cache,
            "tz_now",
            lambda: datetime.datetime.fromtimestamp(self.now, tz=datetime.UTC),
        )

    def travel(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def redis_cache(settings):
    """The default cache on the Redis of TEST_REDIS_URL (keys under a prefix of this test,
    deleted afterwards). Skips without a Redis; with CI set, a missing Redis is a failure."""
    import os

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001 - any failure means: no Redis here
        message = f"no Redis at {url} ({error.__class__.__name__})"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so the Redis tests must run)")
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "quartier.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


# --- the admin's log-in -----------------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_is_throttled(client):
    make_user("leitung", is_staff=True)
    for number in range(40):
        response = client.post(ADMIN_LOGIN, {"username": "leitung", "password": f"falsch{number}"})
        assert response.status_code == 200
    response = client.post(ADMIN_LOGIN, {"username": "leitung", "password": PASSWORD})
    assert response.status_code == 200
    assert BLOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_portal_and_admin_count_together(client):
    make_user("leitung", is_staff=True)
    for _ in range(3):
        client.post(PORTAL_LOGIN, {"username": "leitung", "password": "falsch"})
    for _ in range(2):
        client.post(ADMIN_LOGIN, {"username": "leitung", "password": "falsch"})
    response = client.post(ADMIN_LOGIN, {"username": "leitung", "password": PASSWORD})
    assert BLOCKED in response.content.decode()


@pytest.mark.django_db
def test_admin_login_still_works_and_clears_the_counter(client):
    make_user("leitung", is_staff=True)
    for _ in range(4):
        client.post(ADMIN_LOGIN, {"username": "leitung", "password": "falsch"})
    response = client.post(ADMIN_LOGIN, {"username": "leitung", "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    for _ in range(4):
        client.post(ADMIN_LOGIN, {"username": "leitung", "password": "falsch"})
    assert (
        client.post(ADMIN_LOGIN, {"username": "leitung", "password": PASSWORD}).status_code == 302
    )


# --- windows are kept -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_hour_limit_holds_for_the_hour_with_the_database_cache(settings, clock):
    settings.CACHES = DATABASE_CACHE
    assert all(rate_limit_ok(visitor(), "idea-submit", limit=5, period=3600) for _ in range(5))
    for _ in range(11):  # quiet for an hour but a try every 5 min 10 s: still refused
        clock.travel(310)
        assert not rate_limit_ok(visitor(), "idea-submit", limit=5, period=3600)
    clock.travel(3600 - 11 * 310)
    assert rate_limit_ok(visitor(), "idea-submit", limit=5, period=3600)


@pytest.mark.django_db
def test_the_log_in_lock_lasts_fifteen_minutes(settings, clock):
    settings.CACHES = DATABASE_CACHE
    make_user("berta")
    client = Client()
    for _ in range(5):
        client.post(PORTAL_LOGIN, {"username": "berta", "password": "falsch"})
    clock.travel(6 * 60)  # the old cache timeout (300 s) would have opened it by now
    response = client.post(PORTAL_LOGIN, {"username": "berta", "password": PASSWORD})
    assert BLOCKED in response.content.decode()
    clock.travel(9 * 60 + 1)
    assert client.post(PORTAL_LOGIN, {"username": "berta", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_a_new_window_starts_with_the_first_hit_after_the_old_one(clock):
    assert [counters.counter_hit("a", 60) for _ in range(3)] == [1, 2, 3]
    clock.travel(59)
    assert counters.counter_hit("a", 60) == 4
    clock.travel(1)
    assert counters.counter_hit("a", 60) == 1
    clock.travel(59)
    assert counters.counter_hit("a", 60) == 2


@pytest.mark.django_db
def test_undo_reset_and_purge(clock):
    counters.counter_hit("a", 60)
    counters.counter_hit("a", 60)
    counters.counter_undo("a")
    assert counters.counter_hit("a", 60) == 2
    counters.counter_reset("a")
    assert counters.counter_hit("a", 60) == 1
    counters.counter_undo("a")
    counters.counter_undo("a")  # never below zero
    assert counters.counter_hit("a", 60) == 1
    counters.counter_hit("b", 600)
    clock.travel(61)
    assert counters.counters_purge() == 1
    assert RateCounter.objects.count() == 1


def test_redis_counter_keeps_its_window(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key(counters._bucket("a"))
    assert counters.counter_hit("a", 3600) == 1
    first_ttl = client.pttl(key)
    assert 3_590_000 < first_ttl <= 3_600_000
    assert [counters.counter_hit("a", 3600) for _ in range(5)] == [2, 3, 4, 5, 6]
    assert client.pttl(key) <= first_ttl  # later hits never move the window's end
    counters.counter_undo("a")
    assert int(client.get(key)) == 5
    assert client.pttl(key) <= first_ttl
    counters.counter_reset("a")
    assert client.get(key) is None


def test_redis_key_without_expiry_gets_one(redis_cache):
    """A counter left without expiry (e.g. written by hand) never blocks forever."""
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key(counters._bucket("b"))
    client.set(key, 7)
    assert counters.counter_hit("b", 60) == 8
    assert 0 < client.pttl(key) <= 60_000


# --- exact under parallel requests ------------------------------------------------------


def _parallel(function, count=20):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(number):
        try:
            barrier.wait(timeout=10)
            results.append(function(number))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_limit_is_exact_with_the_database_cache(settings):
    _needs_postgres()
    settings.CACHES = DATABASE_CACHE
    results = _parallel(lambda n: rate_limit_ok(visitor(), "x", limit=5, period=3600))
    assert results.count(True) == 5


def test_parallel_limit_is_exact_with_redis(redis_cache):
    results = _parallel(lambda n: rate_limit_ok(visitor(), "x", limit=5, period=3600))
    assert results.count(True) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_log_in_guesses_are_exact_with_the_database_cache(settings):
    _needs_postgres()
    settings.CACHES = DATABASE_CACHE
    make_user("leitung", is_staff=True)

    def guess(number):
        response = Client().post(
            ADMIN_LOGIN,
            {"username": "leitung", "password": f"falsch{number}"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        return BLOCKED in response.content.decode()

    assert _parallel(guess).count(False) == 5  # exactly five passwords were tried


def test_parallel_log_in_attempts_are_exact_with_redis(redis_cache):
    results = _parallel(lambda n: login_attempt(visitor(f"198.51.100.{n}"), "leitung"))
    assert results.count(True) == 5


@pytest.mark.django_db
def test_the_daily_purge_deletes_ended_windows(clock):
    from io import StringIO

    from django.core.management import call_command

    counters.counter_hit("ended", 60)
    counters.counter_hit("running", 3600)
    clock.travel(120)
    out = StringIO()
    call_command("purge_unconfirmed", stdout=out)
    assert "1 ended rate-limit window(s) deleted." in out.getvalue()
    assert RateCounter.objects.count() == 1


def test_the_redis_cache_keeps_one_client_per_pool(redis_cache):
    """quartier.cache.RedisCache: Django's builds a client for every call (0.3 ms each)."""
    backend = redis_cache
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is first
    backend.set("one-client", 1)
    assert backend.get("one-client") == 1


# --- versions raised in one round trip ------------------------------------------------------


def test_versions_are_raised_in_one_round_trip_on_redis(redis_cache, monkeypatch):
    """A write raises a dozen version counters: on Redis one pipeline, a missing counter
    (read as 1) becoming 2 and an existing one going up by one, readable as numbers."""
    import redis

    from quartier import fragments

    redis_cache.set("kept", 5, None)
    calls = []
    execute = redis.client.Pipeline.execute

    def counted(self, *args, **kwargs):
        calls.append(len(self.command_stack))
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted)
    fragments.raise_versions(["kept", "new", "other"])
    assert calls == [6]  # SET NX and INCR for each, sent at once
    assert redis_cache.get_many(["kept", "new", "other"]) == {"kept": 6, "new": 2, "other": 2}
    fragments.raise_versions(["new"])
    assert redis_cache.get("new") == 3
