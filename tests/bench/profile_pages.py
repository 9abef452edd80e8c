#!/usr/bin/env python
"""Per-request cost of each page in ONE process, without the page cache: SQL queries, their
time, and the process's CPU time — the steady signal on a shared machine (wrk's req/s are noisy).

    DATABASE_URL=postgres://…/quartier_perf_bench python tests/bench/profile_pages.py [--repeat 5]
        [--only "area page"] [--slowest 3] [--profile "area page"]

Uses the pages and parameters of run_bench.py (same discovery), renders each page `--repeat`
times through Django's test client (after one warm-up) and prints the median wall and CPU
milliseconds, the number of queries and their total database time. Not collected by pytest.
"""

import argparse
import cProfile
import json
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tests.bench import run_bench  # noqa: E402

EXTRA = [
    ("reports cold", "/berichte/", True),
    ("imprint", "/impressum/", False),
]

RESIDENT = r"""
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from participation.ideas.models import Support
from quartier.models import User

# the busiest resident: most supports (and so the longest "Meine Beiträge")
busiest = Support.objects.values("user").annotate(n=Count("pk")).order_by("-n").first()
user = User.objects.get(pk=busiest["user"])
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
RESULT = session.session_key
"""


def resident_session():
    scope = {}
    exec(RESIDENT, scope)  # noqa: S102 -- our own benchmark snippet
    return scope["RESULT"]


class Queries:
    """An execute wrapper noting each statement and its time (the debug log is reset by
    every request)."""

    def __init__(self):
        self.captured = []

    def __len__(self):
        return len(self.captured)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.captured.append((time.perf_counter() - start, sql))


def discover():
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        exec(run_bench.DISCOVER, {})  # noqa: S102 -- our own benchmark snippet
    return json.loads(out.getvalue().strip().splitlines()[-1])


def print_by_package(stats, repeat):
    """Own time per request summed by where the code lives (Django's template engine, its ORM,
    redis, the portal, ...): where a page's CPU goes, at a glance."""
    totals = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        if "site-packages/" in filename:
            parts = filename.split("site-packages/")[1].split("/")
            where = "/".join(parts[:2]) if parts[0] == "django" else parts[0]
        elif str(ROOT) in filename:
            where = "portal: " + filename.replace(str(ROOT) + "/", "").split("/")[0]
        else:
            where = "python" if filename != "~" else "builtins"
        totals[where] = totals.get(where, 0) + tottime
    for where, seconds in sorted(totals.items(), key=lambda item: -item[1])[:15]:
        print(f"  {seconds * 1000 / repeat:6.2f} ms  {where}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", action="append")
    parser.add_argument("--slowest", type=int, default=0)
    parser.add_argument("--profile")
    parser.add_argument(
        "--callers", default="", help="also print who calls functions matching this"
    )
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    parser.add_argument("--json")
    options = parser.parse_args()
    found = discover()
    client = Client(HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.cookies["sessionid"] = found["session"]
    resident = Client(HTTP_HOST="127.0.0.1")
    resident.cookies["sessionid"] = resident_session()
    rows = []
    for name, path, logged_in in run_bench.pages(found) + EXTRA:
        if options.only and name not in options.only:
            continue
        if name == "hello-world":
            continue
        who = {"resident": resident, True: staff, False: client}[logged_in]
        if name == "reports cold":
            from django.conf import settings

            settings.REPORT_CACHE_SECONDS = 0
        response = who.get(path)  # warm-up
        walls, cpus = [], []
        queries = Queries()
        with connection.execute_wrapper(queries):
            who.get(path)
        for _ in range(options.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            who.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        db_ms = sum(t for t, _ in queries.captured) * 1000
        row = {
            "name": name,
            "status": response.status_code,
            "wall_ms": statistics.median(walls),
            "cpu_ms": statistics.median(cpus),
            "queries": len(queries),
            "db_ms": db_ms,
        }
        rows.append(row)
        print(
            f"{name:<22} {row['status']} wall {row['wall_ms']:8.1f} ms  cpu {row['cpu_ms']:7.1f} ms"
            f"  queries {row['queries']:3d}  db {row['db_ms']:7.1f} ms",
            flush=True,
        )
        if options.slowest:
            slow = sorted(queries.captured, key=lambda q: -q[0])
            for seconds, sql in slow[: options.slowest]:
                print(f"    {seconds * 1000:7.1f} ms  {sql[:400]}")
        if options.profile == name:
            profiler = cProfile.Profile(time.process_time)  # CPU: steady on a busy machine
            profiler.enable()
            for _ in range(options.repeat):
                who.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(options.sort)
            stats.print_stats(40)
            print_by_package(stats, options.repeat)
            if options.callers:
                stats.print_callers(options.callers)
    if options.json:
        Path(options.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
