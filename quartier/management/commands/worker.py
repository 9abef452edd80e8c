"""`python manage.py worker`: the one command that works off the background tasks.

It runs the worker of the configured TASKS_BACKEND in this process — django-tasks-db's
`db_worker` (the queue is a database table) or RQ's worker (`rqworker`, Redis) — and beside it
the scheduler (quartier.jobs): every TASKS_SWEEP_SECONDS (at most 30 s) it queues the periodic
jobs that are due and sweeps the outboxes. Start as many workers as the mail volume needs, on
as many machines: each slot of a periodic job runs once, whichever worker queued it.

    python manage.py worker                 # until SIGTERM (finishes the task in hand)
    python manage.py worker --batch         # everything due now, then exit (e.g. from cron)
"""

import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from quartier.jobs import scheduler_tick

logger = logging.getLogger("quartier.worker")


class Command(BaseCommand):
    help = "Work off background tasks (mails, jobs) and schedule the periodic work."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Work off what is due now, then exit."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only work off tasks; another worker queues the periodic jobs.",
        )
        parser.add_argument(
            "--heartbeat-file",
            default="",
            help="Touch this file on every scheduler tick (for a container health check).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds the database worker waits when the queue is empty (default 1).",
        )

    def handle(self, *args, batch, no_scheduler, heartbeat_file, interval, verbosity, **options):
        backend = settings.TASKS_BACKEND
        heartbeat = Path(heartbeat_file) if heartbeat_file else None
        if batch:
            if not no_scheduler:
                scheduler_tick()
            self._run_backend(backend, batch=True, interval=interval, verbosity=verbosity)
            return
        if not no_scheduler or heartbeat:
            threading.Thread(
                target=self._scheduler_loop,
                kwargs={"heartbeat": heartbeat, "schedule": not no_scheduler},
                name="quartier-scheduler",
                daemon=True,
            ).start()
        self._run_backend(backend, batch=False, interval=interval, verbosity=verbosity)

    def _run_backend(self, backend, *, batch, interval, verbosity):
        if backend == "database":
            call_command(
                "db_worker",
                batch=batch,
                reload=False,
                interval=interval,
                startup_delay=False,
                verbosity=verbosity,
            )
        elif backend == "rq":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,  # RQ's own, for tasks enqueued with run_after
                burst=batch,
                verbosity=verbosity,
            )
        elif not batch:  # immediate: tasks ran when they were queued; only the scheduler here
            while True:
                time.sleep(3600)

    def _scheduler_loop(self, *, heartbeat, schedule):
        pause = max(1, min(settings.TASKS_SWEEP_SECONDS, 30))
        while True:
            try:
                if schedule:
                    scheduler_tick()
                if heartbeat:
                    heartbeat.touch()
            except Exception:
                logger.exception("scheduler tick failed; trying again in %s s", pause)
            finally:
                close_old_connections()
            time.sleep(pause)
