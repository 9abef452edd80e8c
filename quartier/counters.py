"""The one counter under every rate limit and throttle: atomic, and its window is kept.

    hits = counter_hit("idea-submit:ip:203.0.113.7", period=3600)
    if hits > 5: refuse

A window begins with its first hit and ends `period` seconds later, whatever happens in
between: later hits never move its end, so a one-hour limit holds for the whole hour. Each hit
is counted in one atomic step, so 20 parallel requests against a limit of 5 let exactly 5
through.

- With Redis as the cache (CACHE_URL=redis://…) the counter is a Redis key: INCR, and an
  expiry set only when the key has none, in one Lua script (atomic on the server).
- Otherwise a row of `quartier_ratecounter` in the database, changed by one upsert
  (INSERT … ON CONFLICT … DO UPDATE … RETURNING, PostgreSQL and SQLite ≥ 3.35) that starts a
  new window when the old one has ended. Ended windows are deleted by `counters_purge()`
  (run by `manage.py purge_unconfirmed`).

Count outside a transaction that may be rolled back: a rolled-back hit is not counted.
"""

import hashlib
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

# The clock of the database counters (tests travel in time by replacing it).
clock = time.time

_REDIS_HIT = """
local hits = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return hits
"""
_REDIS_UNDO = """
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
    return redis.call('DECR', KEYS[1])
end
return 0
"""
_scripts = {}


def _bucket(name):
    return "ctr:" + hashlib.sha256(name.encode()).hexdigest()[:60]


def _redis():
    """The default cache when it is Redis, else None."""
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def _redis_call(script, name, *args):
    backend = _redis()
    client = backend._cache.get_client(write=True)
    if script not in _scripts:
        _scripts[script] = client.register_script(script)
    key = backend.make_and_validate_key(_bucket(name))
    return int(_scripts[script](keys=[key], args=list(args), client=client))


def _table():
    from quartier.models import RateCounter

    quote = connection.ops.quote_name
    return quote(RateCounter._meta.db_table)


def counter_hit(name, period):
    """Count one hit of `name`; returns its number in the current window of `period` seconds."""
    if _redis() is not None:
        return _redis_call(_REDIS_HIT, name, int(period * 1000))
    now = clock()
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, hits, expires) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (bucket) DO UPDATE SET "
            f"hits = CASE WHEN {table}.expires <= %s THEN 1 ELSE {table}.hits + 1 END, "
            f"expires = CASE WHEN {table}.expires <= %s THEN excluded.expires "
            f"ELSE {table}.expires END "
            f"RETURNING hits",
            [_bucket(name), now + period, now, now],
        )
        return cursor.fetchone()[0]


def counter_value(name):
    """The number of hits of `name` in its current window (0 when none), without counting."""
    if _redis() is not None:
        return _redis_value(_redis(), name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hits FROM {_table()} WHERE bucket = %s AND expires > %s",  # noqa: S608
            [_bucket(name), clock()],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def _redis_value(backend, name):
    client = backend._cache.get_client(write=False)
    value = client.get(backend.make_and_validate_key(_bucket(name)))
    return int(value or 0)


def counter_undo(name):
    """Take back one hit of `name` in its current window (e.g. a log-in that succeeded)."""
    if _redis() is not None:
        _redis_call(_REDIS_UNDO, name)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET hits = hits - 1 "  # noqa: S608
            "WHERE bucket = %s AND hits > 0 AND expires > %s",
            [_bucket(name), clock()],
        )


def counter_reset(*names):
    """Forget the current windows of `names`."""
    if not names:
        return
    if _redis() is not None:
        _redis().delete_many([_bucket(name) for name in names])
        return
    buckets = [_bucket(name) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table()} WHERE bucket IN ({', '.join(['%s'] * len(buckets))})",  # noqa: S608
            buckets,
        )


def counters_purge():
    """Delete the database counters whose window has ended. Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE expires <= %s", [clock()])  # noqa: S608
        return cursor.rowcount
