#!/usr/bin/env python
"""What a page costs right after a write that concerns it — the fragment misses the soak sees:
before each request the fragment versions a write would raise are raised (nothing is written),
then the page is rendered through the test client; prints median CPU ms and queries.

    DATABASE_URL=postgres://…/quartier_bench_<you> python tests/bench/profile_after_write.py

Pages and writes: the area page after a support in that area (its area scope), the home page
after a support anywhere, the mood page after a mood answer, the areas list after an area edit.
Not collected by pytest.
"""

import os
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from neighbourhoods.models import Area  # noqa: E402
from quartier import fragments  # noqa: E402


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    area = Area.objects.current().filter(kind="social_space").order_by("pk").first()
    cases = [
        ("area page", f"/quartiere/{area.slug}/", [fragments.area_scope(area.pk)]),
        ("home", "/", ["model:participation.support"]),
        ("mood", "/stimmung/", ["model:participation.moodanswer", f"area:{area.pk}"]),
        ("areas", "/quartiere/", ["app:neighbourhoods"]),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path, scopes in cases:
        client.get(path)  # warm-up
        cpus, counts = [], []
        for _ in range(repeat):
            fragments.bump(*scopes)  # outside a transaction: raised at once
            cpu = time.process_time()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            cpus.append((time.process_time() - cpu) * 1000)
            counts.append(len(captured))
        print(
            f"{name:<12} after {'+'.join(scopes):<50} {response.status_code} "
            f"cpu {statistics.median(cpus):6.1f} ms  queries {max(counts):3d}",
            flush=True,
        )


if __name__ == "__main__":
    main()
