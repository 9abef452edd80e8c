"""Publishing an idea to many followers costs the request what publishing it to nobody costs:
the same queries, no mail sent by the request itself; the worker tells every follower once.
(tests/bench/bench_publish.py measures it with 5,000 followers.)"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.ideas.models import IdeaStatus
from participation.subscriptions.models import Frequency, Notification, Subscription
from quartier import jobs
from quartier.models import Job, OutboxMail
from tests.factories import make_area, make_manager, square

from .helpers import ensure_topic, make_idea

pytestmark = pytest.mark.django_db


def followers(area, count):
    Subscription.objects.bulk_create(
        Subscription(
            email=f"follower{area.pk}-{number}@example.org",
            area=area,
            frequency=Frequency.IMMEDIATELY if number % 2 else Frequency.WEEKLY,
            confirmed_at=timezone.now(),
        )
        for number in range(count)
    )


def publish(client, idea, capture):
    """The manager's "Ausgewählte veröffentlichen" in the admin; returns the queries."""
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/verwaltung/participation/idea/",
            {"action": "approve", "_selected_action": [idea.pk], "index": 0},
        )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED
    return [query["sql"] for query in queries.captured_queries]


def test_publish_to_many_followers_costs_the_request_what_publishing_to_none_costs(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ensure_topic()
    quiet = make_area("Stille Ecke", boundary=square(7.40, 51.40))
    busy = make_area("Marktviertel", boundary=square(7.46, 51.51))
    followers(busy, 300)
    client.force_login(make_manager(quiet, busy))
    warm_up, unnoticed, noticed = (
        make_idea(quiet, status=IdeaStatus.PENDING, title=title)
        for title in ("Zum Aufwärmen", "Niemand folgt", "Dreihundert folgen")
    )
    publish(client, warm_up, django_capture_on_commit_callbacks)

    to_nobody = publish(client, unnoticed, django_capture_on_commit_callbacks)
    noticed.area = busy
    noticed.save()
    to_many = publish(client, noticed, django_capture_on_commit_callbacks)

    assert len(to_many) == len(to_nobody)
    assert not mail.outbox  # the request sent nothing itself …
    assert not Notification.objects.exists()  # … and did not even look for the followers
    assert Job.objects.filter(key=f"followers:idea_published:{noticed.pk}").exists()

    # The worker: one job finds the 300 followers; 150 want every news at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        for job in Job.objects.filter(done_at__isnull=True):
            jobs.run_job.call(pk=job.pk)
        from quartier.mail import deliver_mails

        deliver_mails.call(pks=list(OutboxMail.objects.values_list("pk", flat=True)))
    follower_mails = [m for m in mail.outbox if m.to[0].startswith("follower")]
    assert len(follower_mails) == 150
    assert len({m.to[0] for m in follower_mails}) == 150  # each once
    assert Notification.objects.filter(sent_at__isnull=True).count() == 150  # weekly digest
