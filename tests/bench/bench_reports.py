"""Benchmark: the report for 100,000 ideas on PostgreSQL.

    /work/venv/bin/python tests/bench/bench_reports.py [--ideas 100000] [--runs 5]

Uses its own database (BENCH_DATABASE_URL, default quartier_bench_reports on 127.0.0.1),
creates and migrates it, fills it once with bulk_create (ideas spread over two years, answers,
mood answers, meetings with registrations, partners), then times the whole report page for
coordination ("all areas") and for one quarter: selectors plus template rendering. Not
collected by pytest (no test_ prefix). A later `seed_bench` command may reuse `fill()`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartier_bench_reports"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")

from tests.bench.benchdb import ensure_database  # noqa: E402 - after the path is set


def fill(*, ideas=100_000, seed=7, stdout=sys.stdout):
    """Areas, ideas, answers, mood answers, meetings and partners in bulk (idempotent by
    count: does nothing when the ideas are already there)."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from neighbourhoods.models import Area
    from network.models import Partner, PartnerKind
    from participation.feedback.models import MoodAnswer
    from participation.ideas.models import Answer, Channel, Idea, IdeaKind, IdeaStatus
    from participation.meetings.models import Meeting, Registration
    from participation.topics.models import Topic

    if Idea.objects.count() >= ideas:
        return
    rng = random.Random(seed)
    with transaction.atomic():
        quarters = []
        for name in ("Bench-Innenstadt", "Bench-Südstadt", "Bench-Nordstadt"):
            quarter, _ = Area.objects.get_or_create(
                slug=name.lower().replace("ü", "ue"), defaults={"name": name}
            )
            quarters.append(quarter)
        areas = list(quarters)
        for quarter in quarters:
            for index in range(3):
                child, _ = Area.objects.get_or_create(
                    slug=f"{quarter.slug}-{index}",
                    defaults={
                        "name": f"{quarter.name} {index}",
                        "parent": quarter,
                        "kind": "social_space",
                    },
                )
                areas.append(child)
        topics = list(Topic.objects.all())
        statuses = [status.value for status in IdeaStatus]
        now = timezone.now()
        batch = []
        for number in range(ideas - Idea.objects.count()):
            batch.append(
                Idea(
                    kind=rng.choice(IdeaKind.values),
                    title=f"Beitrag {number}",
                    text="Benchmark",
                    topic=rng.choice(topics),
                    area=rng.choice(areas),
                    author_email=f"person{rng.randrange(20000)}@example.org",
                    confirmed_at=now,
                    channel=rng.choice(Channel.values),
                    status=rng.choice(statuses),
                    support_count=rng.randrange(30),
                )
            )
        Idea.objects.bulk_create(batch, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE participation_idea SET created_at = now() - random() * interval '730 days'"
            )
        answered = list(
            Idea.objects.exclude(status__in=["pending", "rejected"]).values_list("pk", flat=True)
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    idea_id=pk,
                    text="Antwort",
                    status_from="published",
                    status_to="planned",
                    author_role="QM",
                )
                for pk in rng.sample(answered, len(answered) // 2)
            ],
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE participation_answer AS a "
                "SET created_at = i.created_at + random() * interval '30 days' "
                "FROM participation_idea AS i WHERE i.id = a.idea_id"
            )
        today = timezone.localdate().replace(day=1)
        MoodAnswer.objects.bulk_create(
            [
                MoodAnswer(
                    area=rng.choice(areas),
                    score=rng.randint(1, 5),
                    month=(today - datetime.timedelta(days=rng.randrange(730))).replace(day=1),
                )
                for _ in range(10_000)
            ],
            batch_size=5000,
        )
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    title=f"Treffen {index}",
                    area=rng.choice(areas),
                    address="Platz 1",
                    starts_at=now - datetime.timedelta(days=rng.randrange(730)),
                    ends_at=now
                    - datetime.timedelta(days=rng.randrange(730))
                    + datetime.timedelta(days=800),
                    status="held",
                )
                for index in range(1000)
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE participation_meeting SET ends_at = starts_at + interval '2 hours'"
            )
        Registration.objects.bulk_create(
            [
                Registration(
                    meeting=rng.choice(meetings),
                    name="Gast",
                    email="gast@example.org",
                    people=rng.randint(1, 4),
                    status=rng.choice(["confirmed", "confirmed", "waiting", "cancelled"]),
                    cancel_token=f"bench-{index}",
                )
                for index in range(10_000)
            ],
            batch_size=5000,
        )
        for index in range(200):
            partner = Partner.objects.create(
                name=f"Bench-Partner {index}",
                slug=f"bench-partner-{index}",
                kind=rng.choice(PartnerKind.values),
            )
            partner.areas.set(rng.sample(areas, 2))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout.write(f"filled: {Idea.objects.count()} ideas\n")


def time_report(params, user, runs):
    from django.test import RequestFactory

    from participation.reports.views import ReportView

    view = ReportView.as_view()
    timings = []
    for _ in range(runs + 1):
        request = RequestFactory().get("/berichte/", params)
        request.user = user
        started = time.perf_counter()
        response = view(request)
        response.render()
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return timings[1:]  # the first run warms caches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.ideas.models import Idea

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(ideas=args.ideas)
    print(f"data ready in {time.perf_counter() - started:.1f} s: {Idea.objects.count()} ideas")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-koordination", defaults={"is_staff": True, "is_superuser": True}
    )
    for label, params in (("all areas", {}), ("one quarter", {"gebiet": "bench-suedstadt"})):
        timings = time_report(params, user, args.runs)
        with CaptureQueriesContext(connection) as queries:
            time_report(params, user, 0)
        print(
            f"report, {label}: median {statistics.median(timings) * 1000:.0f} ms, "
            f"best {min(timings) * 1000:.0f} ms over {len(timings)} runs, "
            f"{len(queries)} queries"
        )


if __name__ == "__main__":
    main()
