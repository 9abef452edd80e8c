"""Benchmark: how long the sign-up form answers for a new, a pending and a registered address.

    python tests/bench/bench_signup.py [--runs 15]

With the real password hasher (PBKDF2) on a throw-away SQLite database, through the whole
middleware stack. The three medians should be close: the time must not tell whether an
address has an account. Not collected by pytest (no test_ prefix).
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
DATABASE = Path(tempfile.mkdtemp()) / "signup.sqlite3"
os.environ.update(
    DATABASE_URL=f"sqlite:///{DATABASE}",
    CACHE_URL="locmem://",
    RATELIMIT_ENABLED="0",
    PAGE_CACHE_SECONDS="0",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    DJANGO_SETTINGS_MODULE="quartier.settings",
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from quartier.accounts import services
    from quartier.models import User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    services.account_register(username="wartet", email="pending@example.org", password="x")
    User.objects.create_user("da", email="taken@example.org", password="x")

    def post(number, email):
        data = {
            "username": f"bench{number}",
            "email": email or f"new{number}@example.org",
            "password1": "Sonnenblume-am-Markt-7",
            "password2": "Sonnenblume-am-Markt-7",
            "privacy": "on",
            "website": "",
        }
        started = time.perf_counter()
        response = Client().post("/konto/registrieren/", data)
        assert response.status_code == 302, response.status_code
        return (time.perf_counter() - started) * 1000

    cases = {
        "new address": None,
        "pending account": "pending@example.org",
        "registered account": "taken@example.org",
    }
    timings = {name: [] for name in cases}
    for number in range(runs):  # interleaved, so load on the machine hits all three alike
        for index, (name, email) in enumerate(cases.items()):
            timings[name].append(post(number * 10 + index, email))
    for name, values in timings.items():
        print(
            f"{name:<20} median {statistics.median(values):6.1f} ms  "
            f"min {min(values):6.1f}  max {max(values):6.1f}  ({runs} runs)"
        )


if __name__ == "__main__":
    main()
