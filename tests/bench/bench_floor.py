#!/usr/bin/env python
"""The floor every HTML page pays before its own content: the middleware stack, the context
processors and base.html (navigation, language switcher, hreflang alternates, feed links,
footer). In ONE process, through Django's test client, production settings, no page cache:

    DATABASE_URL=postgres://…/quartier_bench_<you> python tests/bench/bench_floor.py \
        [--repeat 300] [--profile "empty page"] [--html]

prints per case the median CPU and wall milliseconds per request and the queries it ran:
(a) hello-world through the full middleware, (b) an empty page extending base.html (anonymous,
German and Arabic), (c) the same page for a signed-in resident. Not collected by pytest.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.bench_settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("STAFF_2FA", "0")
os.environ.setdefault("CACHE_URL", "locmem://")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.ROOT_URLCONF = "tests.bench.floor_urls"


def resident_session():
    """A session of an ordinary resident (created in the database, as a login would)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from quartier.models import User

    user = User.objects.filter(is_staff=False, is_active=True).order_by("pk").first()
    if user is None:
        user = User.objects.create_user("floor-resident", "floor@example.org", "x")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Queries(list):
    """An execute wrapper noting each statement (the debug log is reset by every request)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def cases():
    anonymous = Client(HTTP_HOST="127.0.0.1")
    resident = Client(HTTP_HOST="127.0.0.1")
    resident.cookies["sessionid"] = resident_session()
    return [
        ("hello-world", anonymous, "/bench/hello/"),
        ("empty page", anonymous, "/bench/leer/"),
        ("empty page ar", anonymous, "/ar/bench/leer/?seite=2"),
        ("empty page resident", resident, "/bench/leer/"),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--only", action="append")
    parser.add_argument("--profile")
    parser.add_argument("--html", action="store_true", help="print each page once")
    options = parser.parse_args()
    for name, client, path in cases():
        if options.only and name not in options.only:
            continue
        response = client.get(path)  # warm-up
        assert response.status_code == 200, (name, response.status_code)
        queries = Queries()
        with connection.execute_wrapper(queries):
            client.get(path)
        cpus, walls = [], []
        for _ in range(options.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        print(
            f"{name:<22} cpu {statistics.median(cpus):6.2f} ms"
            f"  wall {statistics.median(walls):6.2f} ms  queries {len(queries)}",
            flush=True,
        )
        if options.html:
            print(response.content.decode())
            print(*queries, sep="\n")
        if options.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(50):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
