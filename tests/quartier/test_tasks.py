"""Background work: the mail and job outboxes, retries, the sweep, periodic slots, and the real
database queue worked off by `manage.py worker` — in this process and as a killed process."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from quartier import jobs, outbox
from quartier.mail import as_message, queue_portal_mail
from quartier.models import BarrierReport, Job, OutboxMail

from .mail_backends import delivered

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "mail/accounts/signup_existing.txt"
CONTEXT = {"username": "berta", "login_url": "https://x/l", "reset_url": "https://x/r"}


def queue(to="berta@example.org", **extra):
    return queue_portal_mail(to=to, subject="Hallo", template=TEMPLATE, context=CONTEXT, **extra)


@pytest.mark.django_db
def test_a_rolled_back_change_mails_nothing_a_committed_one_mails_once(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change fails after the mail was queued")
    assert not OutboxMail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue(attachments=[("treffen.ics", "BEGIN:VCALENDAR", "text/calendar")])
    (message,) = mail.outbox
    assert message.to == ["berta@example.org"] and message.subject.endswith("Hallo")
    assert message.attachments[0][0] == "treffen.ics"
    assert message.extra_headers["Message-ID"] == as_message(queued).extra_headers["Message-ID"]
    queued.refresh_from_db()
    assert queued.done_at is not None and queued.attempts == 1


@pytest.mark.django_db
def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(key="digest:1:7") is not None
        assert queue(key="digest:1:7") is None
    assert OutboxMail.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_refused_mail_is_retried_with_growing_pauses_then_given_up(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.quartier.mail_backends.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        row = queue()
    pauses = []
    from quartier.mail import deliver_mails

    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        row.refresh_from_db()
        assert row.attempts == attempt and row.done_at is None
        assert "SMTPServerDisconnected" in row.last_error
        if attempt < outbox.MAX_ATTEMPTS:
            pauses.append(row.next_attempt_at - timezone.now())
            assert deliver_mails.call(pks=[row.pk]) == 0  # not due yet: untouched
            OutboxMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
            deliver_mails.call(pks=[row.pk])
    row.refresh_from_db()
    assert row.failed_at is not None and row.attempts == outbox.MAX_ATTEMPTS
    assert pauses == sorted(pauses) and pauses[0] > datetime.timedelta(seconds=50)
    assert "given up" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_mails.call(pks=[row.pk])
    assert not mail.outbox  # given up stays given up (visible in the admin)


@pytest.mark.django_db
def test_sweep_requeues_overdue_rows_once_per_interval(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    old = timezone.now() - datetime.timedelta(seconds=settings.TASKS_SWEEP_SECONDS * 3)
    lost = OutboxMail.objects.create(key="lost", recipients=["a@x.org"], subject="s", body="b")
    fresh = OutboxMail.objects.create(key="fresh", recipients=["a@x.org"], subject="s", body="b")
    later = OutboxMail.objects.create(key="retry", recipients=["a@x.org"], subject="s", body="b")
    OutboxMail.objects.filter(pk=lost.pk).update(next_attempt_at=old)
    OutboxMail.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    job = Job.objects.create(key="lost-job", function="builtins.print")
    Job.objects.filter(pk=job.pk).update(next_attempt_at=old)
    assert jobs.sweep() == (1, 1)
    queued = default_task_backend.results
    assert [(r.task.name, r.kwargs) for r in queued] == [
        ("deliver_mails", {"pks": [lost.pk]}),
        ("run_job", {"pk": job.pk}),
    ]
    assert fresh.pk not in queued[0].kwargs["pks"]  # its own task is on the way
    assert jobs.sweep() == (0, 0)  # the same interval: another worker already swept


def create_report(*, text, fail=False):
    """A job with a database write, failing after it if asked to."""
    BarrierReport.objects.create(page_url="/", description=text)
    if fail:
        raise ConnectionError("the attempt breaks off")


@pytest.mark.django_db
def test_a_job_takes_effect_once_with_its_writes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.run_later(create_report, key="report:1", text="once", fail=True)
        assert jobs.run_later(create_report, key="report:1", text="once") is None
    job.refresh_from_db()
    assert job.attempts == 1 and job.done_at is None and "breaks off" in job.last_error
    assert not BarrierReport.objects.exists()  # the failed attempt's write was undone
    Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now(), kwargs={"text": "once"})
    assert jobs.run_job.call(pk=job.pk) is True
    assert jobs.run_job.call(pk=job.pk) is False  # done: never again
    assert list(BarrierReport.objects.values_list("description", flat=True)) == ["once"]


BERLIN = ZoneInfo("Europe/Berlin")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def test_schedules_name_their_slots():
    daily = jobs.Daily(datetime.time(3, 15))
    assert daily.slot(at("2026-11-30 03:14")) == "2026-11-29"
    assert daily.slot(at("2026-11-30 03:15")) == "2026-11-30"
    weekly = jobs.Weekly(0, datetime.time(7, 0))  # Mondays; 2026-11-30 is a Monday
    assert weekly.slot(at("2026-11-30 06:59")) == "2026-11-23"
    assert weekly.slot(at("2026-11-30 07:00")) == "2026-11-30"
    assert weekly.slot(at("2026-12-06 23:00")) == "2026-11-30"
    every = jobs.Every(60)
    assert every.slot(at("2026-11-30 10:00:59")) != every.slot(at("2026-11-30 10:01:00"))


@pytest.mark.django_db
def test_each_periodic_slot_is_queued_once_however_many_workers_tick(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert set(jobs.registered()) == {
        "office-reminders",
        "opendata-refresh",
        "partner-calendars",
        "prune-outboxes",
        "purge-unconfirmed",
        "weekly-digests",
    }
    now = at("2026-11-30 08:00")
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.scheduler_tick(now)
        second = jobs.scheduler_tick(now + datetime.timedelta(seconds=30))
    assert "periodic:weekly-digests:2026-11-30" in first
    assert "periodic:purge-unconfirmed:2026-11-30" in first
    assert second == []
    tomorrow = now + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.scheduler_tick(tomorrow) == [
            "periodic:office-reminders:2026-12-01",
            f"periodic:opendata-refresh:{jobs.Every(300).slot(tomorrow)}",
            f"periodic:partner-calendars:{jobs.Every(3 * 3600).slot(tomorrow)}",
            "periodic:prune-outboxes:2026-12-01",
            "periodic:purge-unconfirmed:2026-12-01",
        ]


def _keep_signals():
    """db_worker installs SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore():
        for sig, handler in saved.items():
            signal.signal(sig, handler)

    return restore


@pytest.mark.django_db(transaction=True)
def test_database_queue_worked_off_by_the_worker_command(settings):
    """The embedded default: tasks wait in a database table until `manage.py worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        for number in range(3):
            queue(to=f"person{number}@example.org")
        jobs.run_later(create_report, text="from a job")
    assert DBTaskResult.objects.count() == 4
    assert not mail.outbox and not BarrierReport.objects.exists()  # nothing done by "request"
    restore = _keep_signals()
    try:
        call_command("worker", batch=True, no_scheduler=True, verbosity=0)
        call_command("worker", batch=True, verbosity=0)
    finally:
        restore()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "person0@example.org",
        "person1@example.org",
        "person2@example.org",
    ]
    assert BarrierReport.objects.count() == 1
    assert not OutboxMail.objects.filter(done_at__isnull=True).exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def _env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CACHE_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        CACHE_URL="locmem://",
        EMAIL_BACKEND="tests.quartier.mail_backends.CountingFileBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        TASKS_SWEEP_SECONDS="1",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def _manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


QUEUE_30 = """
from django.db import transaction
from quartier.mail import queue_mails, render_portal_mail
with transaction.atomic():
    queue_mails([
        render_portal_mail(to=f"person{n}@example.org", subject=f"Nr. {n}",
                           template="mail/accounts/signup_existing.txt",
                           context={"username": "x", "login_url": "l", "reset_url": "r"})
        for n in range(30)
    ])
"""


@pytest.mark.slow
def test_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(tmp_path):
    """30 mails in one delivery task; the worker accepts 10 and is killed (SIGKILL) while the
    11th is with the mail server. Restarted, it sends the 20 left — each mail exactly once."""
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", QUEUE_30)
    folder = tmp_path / "mail"
    with open(tmp_path / "worker.log", "wb") as log:
        first = start_worker({**env, "TEST_MAIL_HANG_AFTER": "10"}, log)
        try:
            _wait_for((folder / "hanging").exists, 30, "the 11th mail")
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        finally:
            stop(first)
        assert sum(delivered(folder).values()) == 10
        second = start_worker(env, log)
        try:
            _wait_for(lambda: sum(delivered(folder).values()) >= 30, 30, "all 30 mails")
            time.sleep(2)  # time for a double delivery to show up, if there were one
        finally:
            stop(second)
    counts = delivered(folder)
    assert len(counts) == 30, (tmp_path / "worker.log").read_text()
    assert set(counts.values()) == {1}
    result = _manage(
        env,
        "shell",
        "-c",
        "from quartier.models import OutboxMail; "
        "print(OutboxMail.objects.filter(done_at__isnull=False).count())",
    )
    assert result.stdout.strip().splitlines()[-1] == "30"


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis"),
    reason="the RQ queue needs Redis (set CACHE_URL=redis://…)",
)
def test_rq_queue_worked_off_by_the_worker_command(tmp_path):
    """TASKS_BACKEND=rq: the same outbox, the queue in Redis, `manage.py worker` runs RQ."""
    env = _env(tmp_path, TASKS_BACKEND="rq", RQ_URL=os.environ["CACHE_URL"])
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", QUEUE_30)
    _manage(env, "worker", "--batch", "-v", "0", timeout=180)
    counts = delivered(tmp_path / "mail")
    assert len(counts) == 30 and set(counts.values()) == {1}
