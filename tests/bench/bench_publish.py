"""Benchmark: publishing an idea to 5,000 followers returns as fast as publishing one to nobody.

    python tests/bench/bench_publish.py [--followers 5000] [--runs 15]

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default quartier_tasks_bench_publish on
127.0.0.1; created, migrated and emptied of ideas and followers each run). A manager publishes
ideas through the admin (the Django test client in this process, the real database task
queue): half in an area nobody follows, half in an area with --followers followers who want
every news at once. Prints the request's time (median, p90) and its SQL queries for both, then
works off the queue in this process like `manage.py worker` and prints what the worker needed:
the follower job (finding the followers, writing one row and one rendered mail each) and the
mails per second through Django's locmem mail backend (a real SMTP server is slower; that is
the worker's time, never a visitor's). Not collected by pytest (no test_ prefix).
"""

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartier_tasks_bench_publish"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ["TASKS_BACKEND"] = "database"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ["CACHE_URL"] = "locmem://"


def ensure_database():
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[-1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from neighbourhoods.models import Area
    from participation.ideas.models import Idea, IdeaStatus
    from participation.subscriptions.models import Frequency, Notification, Subscription
    from participation.topics.models import Topic
    from quartier.models import Job, OutboxMail
    from tests.factories import make_area, make_manager, square

    call_command("migrate", verbosity=0)
    setup_test_environment()  # the locmem mail backend's outbox
    for model in (Notification, Subscription, Idea, OutboxMail, Job, DBTaskResult):
        model.objects.all().delete()
    Area.objects.filter(slug__in=["bench-still", "bench-markt"]).delete()
    Group.objects.get_or_create(name="Quartiersmanagement")
    topic = Topic.objects.filter(is_active=True).first()
    quiet = make_area("Bench Still", slug="bench-still", boundary=square(7.40, 51.40))
    busy = make_area("Bench Markt", slug="bench-markt", boundary=square(7.46, 51.51))
    Subscription.objects.bulk_create(
        Subscription(
            email=f"follower{number}@example.org",
            area=busy,
            frequency=Frequency.IMMEDIATELY,
            confirmed_at=timezone.now(),
        )
        for number in range(options.followers)
    )
    manager = make_manager(quiet, busy, username=f"bench-qm-{time.time_ns()}")
    client = Client()
    client.force_login(manager)

    def publish(area):
        idea = Idea.objects.create(
            kind="idea", title="Bänke", text="Mehr Bänke", topic=topic, area=area,
            status=IdeaStatus.PENDING, confirmed_at=timezone.now(), author_email="a@example.org",
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(
                "/verwaltung/participation/idea/",
                {"action": "approve", "_selected_action": [idea.pk], "index": 0},
            )
            elapsed = time.perf_counter() - started
        assert response.status_code == 302
        return elapsed * 1000, len(queries.captured_queries)

    publish(quiet)  # warm-up
    timings = {"nobody": [], f"{options.followers:,} followers": []}
    queries = {}
    for _ in range(options.runs):
        for label, area in zip(timings, (quiet, busy), strict=True):
            elapsed, count = publish(area)
            timings[label].append(elapsed)
            queries[label] = count
    print(f"Publishing an idea through the admin ({options.runs} runs each, PostgreSQL):")
    print(
        "| followers of the area | median ms | p90 ms | SQL queries | mails sent by the request |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, values in timings.items():
        print(
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.9):.1f} | "
            f"{queries[label]} | {len(mail.outbox)} |"
        )

    # The worker's side for one of these publishes (the others' follower jobs are dropped).
    follower_jobs = Job.objects.filter(key__startswith="followers:").order_by("pk")
    follower_jobs.exclude(pk=follower_jobs.last().pk).delete()
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("worker", batch=True, no_scheduler=True, verbosity=0)
    worked, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    job_seconds = [
        (result.finished_at - result.started_at).total_seconds()
        for result in DBTaskResult.objects.filter(task_path="quartier.jobs.run_job")
    ]
    mail_seconds = sum(
        (result.finished_at - result.started_at).total_seconds()
        for result in DBTaskResult.objects.filter(task_path="quartier.mail.deliver_mails")
    )
    sent = len(mail.outbox)
    expected = options.followers + options.runs * 2 + 1  # followers, and each idea's author
    print()
    print(
        f"Worker (one process, this machine, load average {os.getloadavg()[0]:.1f}): "
        f"{worked:.1f} s for one publish's followers, {cpu:.1f} s of it CPU in the worker"
    )
    print(
        f"- the follower job (find {options.followers:,} followers, write a row and a rendered "
        f"mail for each): {max(job_seconds):.2f} s"
    )
    print(
        f"- mails sent: {sent:,} (expected {expected:,}) in {mail_seconds:.1f} s "
        f"= {sent / mail_seconds:.0f} mails/s (locmem backend)"
    )
    print(
        f"- CPU per mail in the worker (rendering was done by the job): {cpu * 1000 / sent:.1f} ms"
    )
    assert sent == expected and not OutboxMail.objects.filter(done_at__isnull=True).exists()


if __name__ == "__main__":
    main()
