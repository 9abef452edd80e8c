#!/usr/bin/env python
"""Big boundaries: what a quarter with a finely digitised boundary costs the public pages.

    python tests/bench/bench_boundaries.py [--vertices 40000]

Builds a throw-away SQLite database, saves one quarter whose boundary is a circle with
`--vertices` corner points (at most AREA_MAX_VERTICES) plus 20 published ideas in it, and prints
for each page the response size and the median time of 5 requests: the areas' GeoJSON, one
area's GeoJSON, the area page, the idea map's data, the idea list, an idea submission and a
point lookup. Not a test (pytest does not collect tests/bench); figures depend on the machine.
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vertices", type=int, default=40_000)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="quartier-bench-boundaries-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ["RATELIMIT_ENABLED"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from neighbourhoods import lookup
    from neighbourhoods.models import Area
    from participation.ideas.models import Idea, IdeaStatus
    from participation.topics.models import Topic

    call_command("migrate", verbosity=0)
    lng, lat, radius = 7.47, 51.5, 0.01
    ring = [
        [
            lng + radius * math.cos(2 * math.pi * i / options.vertices),
            lat + radius * math.sin(2 * math.pi * i / options.vertices),
        ]
        for i in range(options.vertices)
    ]
    area = Area(name="Innenstadt", slug="innenstadt", kind=Area.Kind.QUARTER)
    area.boundary = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    area.full_clean()
    area.save()
    topic = Topic.objects.first()
    for number in range(20):
        Idea.objects.create(
            title=f"Idee {number}",
            kind="idea",
            text="Text",
            topic=topic,
            area=area,
            location={"type": "Point", "coordinates": [lng + number / 10_000, lat]},
            status=IdeaStatus.PUBLISHED,
            confirmed_at=timezone.now(),
            author_name="Bench",
        )
    client = Client()
    pages = {
        "areas geojson": "/quartiere.geojson",
        "area geojson": "/quartiere/innenstadt/grenze.geojson",
        "area page": "/quartiere/innenstadt/",
        "idea map data": f"/ideen.geojson?bbox={lng - 0.02},{lat - 0.02},{lng + 0.02},{lat + 0.02}",
        "idea list": "/ideen/",
    }
    print(f"one quarter with {options.vertices:,} boundary vertices, 20 ideas (SQLite)")
    for name, url in pages.items():
        client.get(url)  # warm-up: the area tree and lookup index are built once per process
        times, size = [], 0
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            size = len(response.content)
        print(f"{name:<16} {size:>10,} bytes  {1000 * statistics.median(times):8.1f} ms")
    times = []
    for number in range(6):
        data = {
            "kind": "idea",
            "title": f"Neue Bank {number}",
            "text": "Am Platz fehlt eine Bank.",
            "topic": topic.pk,
            "location": f'{{"type": "Point", "coordinates": [{lng + number / 10_000}, {lat}]}}',
            "author_name": "Bench",
            "author_email": "bench@example.org",
            "privacy": "on",
            "confirm_new": "on",
        }
        started = time.perf_counter()
        response = client.post("/ideen/neu/", data)
        times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    print(f"{'idea submission':<16} {'':>16}  {1000 * statistics.median(times[1:]):8.1f} ms")
    times = []
    for number in range(200):
        started = time.perf_counter()
        lookup.area_id_for_point(lng + number / 100_000, lat)
        times.append(time.perf_counter() - started)
    print(f"{'point lookup':<16} {'':>16}  {1000 * statistics.median(times):8.2f} ms")


if __name__ == "__main__":
    main()
