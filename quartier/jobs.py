"""Background jobs and periodic work, on top of Django's Tasks API and the outbox (quartier.outbox).

`run_later(function, key=…, **kwargs)` writes a `Job` row in the caller's transaction; after the
commit a task runs `function(**kwargs)` in a worker, and the job's own writes are committed
together with its `done_at` — a job takes effect once, even if a worker dies while running it
(it is rolled back and done again). `kwargs` must be JSON (ids, not objects).

Periodic work is registered by the apps (`periodic("digests", Weekly(...), send_digests)`) and
started by the scheduler that runs inside every `manage.py worker`: each tick it queues the
current slot of every schedule as a job with the key `periodic:<name>:<slot>` — the unique key
makes a slot run once however many workers tick. The same tick sweeps the outboxes: rows whose
task was lost (a killed worker) or whose retry is due are handed to the queue again.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from quartier import outbox
from quartier.models import Job, OutboxMail

logger = logging.getLogger(__name__)


def function_path(function):
    return f"{function.__module__}.{function.__qualname__}"


def run_later(function, *, key=None, **kwargs):
    """Run `function(**kwargs)` in a worker once the current transaction is committed.
    Returns the Job, or None when a job with this `key` exists already."""
    job = Job(key=key or f"job:{uuid.uuid4().hex}", function=function_path(function), kwargs=kwargs)
    return job if outbox.insert([job], on_commit=enqueue_jobs) else None


def enqueue_jobs(pks):
    for pk in pks:
        run_job.enqueue(pk=pk)


@task()
def run_job(pk):
    return outbox.process(Job, pk, _call)


def _call(job):
    import_string(job.function)(**job.kwargs)


# --- periodic work -----------------------------------------------------------------------


@dataclass(frozen=True)
class Every:
    """Every `seconds` (slots counted from the epoch)."""

    seconds: int

    def slot(self, now):
        return str(int(now.timestamp() // self.seconds))


@dataclass(frozen=True)
class Daily:
    """Once a day at `at` (local time); a worker started later catches up on today's run."""

    at: time

    def slot(self, now):
        local = timezone.localtime(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return day.isoformat()


@dataclass(frozen=True)
class Weekly:
    """Once a week on `weekday` (0 = Monday) at `at` (local time)."""

    weekday: int
    at: time

    def slot(self, now):
        local = timezone.localtime(now)
        day = local.date() - timedelta(days=(local.weekday() - self.weekday) % 7)
        if day == local.date() and local.time() < self.at:
            day -= timedelta(days=7)
        return day.isoformat()


_periodic = {}


def periodic(name, schedule, function):
    """Register `function()` to run on `schedule` (Every, Daily or Weekly) — from an
    AppConfig.ready(), so every worker knows it."""
    _periodic[name] = (schedule, function)


def registered():
    return dict(_periodic)


def scheduler_tick(now=None):
    """Queue the current slot of every periodic job (once across all workers) and sweep.
    Returns the keys of the jobs queued now."""
    now = now or timezone.now()
    queued = []
    with transaction.atomic():
        for name, (schedule, function) in sorted(_periodic.items()):
            key = f"periodic:{name}:{schedule.slot(now)}"
            if run_later(function, key=key) is not None:
                queued.append(key)
    sweep(now=now)
    return queued


def sweep(*, now=None):
    """Hand overdue outbox rows to the queue again (once per sweep interval across workers:
    the shared cache decides which worker does it; without one, each does — harmless)."""
    seconds = settings.TASKS_SWEEP_SECONDS
    now = now or timezone.now()
    try:
        mine = cache.add(f"quartier:sweep:{int(now.timestamp() // seconds)}", 1, seconds * 2)
    except Exception:
        mine = True
    if not mine:
        return 0, 0
    grace = timedelta(seconds=seconds)
    mails = outbox.overdue(OutboxMail, grace=grace)
    jobs = outbox.overdue(Job, grace=grace)
    if mails:
        from quartier.mail import enqueue_delivery

        enqueue_delivery(mails)
    if jobs:
        enqueue_jobs(jobs)
    if mails or jobs:
        logger.info(
            "sweep: %s mail(s) and %s job(s) handed to the queue again", len(mails), len(jobs)
        )
    return len(mails), len(jobs)


# --- the project's own periodic work (registered in quartier.apps) -------------------------

OUTBOX_KEPT = timedelta(days=7)  # sent mails hold addresses and texts: kept a week for support
FAILED_KEPT = timedelta(days=30)


def prune_outboxes():
    """Delete sent mails and done jobs after OUTBOX_KEPT, given-up ones after FAILED_KEPT, and
    finished task results (the queue's own rows) — also those a killed worker left running."""
    now = timezone.now()
    for model in (OutboxMail, Job):
        model.objects.filter(done_at__lt=now - OUTBOX_KEPT).delete()
        model.objects.filter(failed_at__lt=now - FAILED_KEPT).delete()
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=2)).delete()
        # Ours are safe to drop: the outbox rows they worked on are swept up again.
        DBTaskResult.objects.running().filter(started_at__lt=now - timedelta(days=1)).delete()


def purge_unconfirmed():
    """The daily retention purge (see `manage.py purge_unconfirmed`)."""
    from io import StringIO

    from django.core.management import call_command

    report = StringIO()
    call_command("purge_unconfirmed", stdout=report)
    logger.info("purge_unconfirmed: %s", " ".join(report.getvalue().split()))
