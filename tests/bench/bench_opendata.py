"""Benchmark: the open-data downloads (/offene-daten/ideen.csv and .geojson) at 30,000 ideas.

    python tests/bench/bench_opendata.py [--ideas 30000] [--runs 3]

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default quartier_bench_opendata on
127.0.0.1), creates and migrates it and fills it once with the benchmark data set
(`seed_bench`, only when it has no ideas yet). Then it prints, for each file:

- before: building the file in the request, the work every download did before (all public
  ideas read and serialised) — now done by `build_opendata` in the background. (Run against
  the code before the change, the script times that view itself instead.)
- after: a download as it is served now (the built file, streamed), its SQL queries, and a
  conditional request answered with 304.

Not collected by pytest (no test_ prefix). Times are wall-clock on this machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartier_bench_opendata"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-opendata-"))

from tests.bench.benchdb import ensure_database  # noqa: E402 - after the path is set


def seed(ideas):
    from django.core.management import call_command

    from participation.ideas.models import Idea

    if Idea.objects.exists():
        return
    try:  # the command moves to tests/bench/seed_bench.py; accept either place
        from tests.bench import seed_bench

        call_command(seed_bench.Command(), ideas=ideas)
    except ImportError:
        call_command("seed_bench", ideas=ideas)


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def download(client, url, **headers):
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    ensure_database(DATABASE_URL)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from participation.ideas.models import Idea

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(options.ideas)
    public = Idea.objects.public().count()
    print(f"{Idea.objects.count():,} ideas, {public:,} public; median of {options.runs} runs")

    client = Client()
    try:
        from participation.opendata import downloads
    except ImportError:  # the code before the change: the file is built in the request
        downloads = None
    for name in ("ideen.csv", "ideen.geojson"):
        url = f"/offene-daten/{name}"
        if downloads is None:
            seconds, (status, size, _) = timed(lambda url=url: download(client, url), options.runs)
            print(f"{name:15} built in the request: {seconds:6.2f} s  ({status}, {size:,} bytes)")
            continue
        seconds, _ = timed(lambda name=name: downloads.render(name, sink=None), options.runs)
        print(f"{name:15} before (built in each request, now in the background): {seconds:6.2f} s")
    if downloads is None:
        return
    seconds, _ = timed(lambda: downloads.build(force=True), 1)
    print(f"build_opendata (both files, written atomically):        {seconds:6.2f} s")
    seconds, _ = timed(downloads.build_if_changed, options.runs)
    print(f"build_opendata with nothing changed (the dirty check):    {seconds * 1000:6.1f} ms")
    for name in ("ideen.csv", "ideen.geojson"):
        url = f"/offene-daten/{name}"
        with CaptureQueriesContext(connection) as queries:
            download(client, url)
        seconds, (status, size, response) = timed(
            lambda url=url: download(client, url), options.runs
        )
        print(
            f"{name:15} after (served file):  {seconds * 1000:7.1f} ms  ({status}, {size:,} bytes,"
            f" {len(queries)} queries)"
        )
        etag = response["ETag"]
        seconds, (status, size, _) = timed(
            lambda url=url, etag=etag: download(client, url, HTTP_IF_NONE_MATCH=etag),
            options.runs,
        )
        print(f"{name:15} after, If-None-Match: {seconds * 1000:6.1f} ms  ({status})")


if __name__ == "__main__":
    main()
