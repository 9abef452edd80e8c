"""Production settings plus a hello-world view (tests/bench/bench_urls.py) for the benchmark.

Never used in production: only tests/bench/run_bench.py selects it (DJANGO_SETTINGS_MODULE).
"""

from quartier.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.bench_urls"
