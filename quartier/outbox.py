"""The one way the portal's outboxes (mails in quartier.mail, jobs in quartier.jobs) are worked off.

A row is written in the transaction that asks for it, so it exists exactly when that change is
committed; a task worker then takes it, does it and marks it done — in one transaction, while
holding the row. So a worker killed halfway leaves the row pending (its transaction is rolled
back and its lock released) and another worker, or the same one restarted, does it again; a
row marked done is never done again. A failure is written on the row with the time of the
next attempt (growing pauses, MAX_ATTEMPTS in all); the sweep hands such rows — and rows whose
task was lost with a killed worker — to the task queue again.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

# Pause after the n-th failed attempt; after the last one the row is given up (failed_at).
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CHUNK = 500  # rows per insert


def lock_due(model, pk):
    """The row `pk` if it is due and no other worker holds it, held until the transaction ends."""
    rows = model.objects.due(timezone.now()).filter(pk=pk)
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True).first()
    # SQLite has no row locks: writing first takes its single write lock for this transaction,
    # so a second worker waits here and then no longer finds the row due.
    if not rows.update(next_attempt_at=F("next_attempt_at")):
        return None
    return rows.first()


def process(model, pk, work):
    """Run `work(row)` for the due row `pk` and mark it done in the same transaction.

    Returns True if it was done now; False if it was not due, held by another worker, or
    failed (then the error and the next attempt are recorded and the change of `work` undone).
    """
    with transaction.atomic():
        row = lock_due(model, pk)
        if row is None:
            return False
        row.attempts += 1
        try:
            with transaction.atomic():
                work(row)
        except Exception as error:
            _record_failure(row, error)
            return False
        row.done_at = timezone.now()
        row.save(update_fields=["attempts", "done_at"])
    return True


def _record_failure(row, error):
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    fields = ["attempts", "last_error"]
    if row.attempts >= MAX_ATTEMPTS:
        row.failed_at = timezone.now()
        fields.append("failed_at")
        logger.error(
            "%s %s given up after %s attempts: %s",
            row._meta.label,
            row.pk,
            row.attempts,
            row.last_error,
        )
    else:
        row.next_attempt_at = timezone.now() + RETRY_DELAYS[row.attempts - 1]
        fields.append("next_attempt_at")
        logger.warning(
            "%s %s attempt %s failed: %s", row._meta.label, row.pk, row.attempts, row.last_error
        )
    row.save(update_fields=fields)


def insert(rows, *, on_commit):
    """Save new outbox rows in the current transaction, skipping keys that exist already, and
    call `on_commit(pks)` with the new rows' ids once it is committed. Returns those ids."""
    model = type(rows[0])
    if len(rows) == 1:
        try:
            with transaction.atomic():
                rows[0].save()
        except IntegrityError:  # the key was queued before
            return []
        pks = [rows[0].pk]
    else:
        pks = []
        for start in range(0, len(rows), CHUNK):  # bounded IN lists, also on SQLite
            chunk = rows[start : start + CHUNK]
            keys = [row.key for row in chunk]
            existing = set(model.objects.filter(key__in=keys).values_list("key", flat=True))
            model.objects.bulk_create(
                [row for row in chunk if row.key not in existing], ignore_conflicts=True
            )
            pks += (
                model.objects.filter(key__in=set(keys) - existing)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    if pks:
        transaction.on_commit(lambda: _safely(on_commit, pks))
    return pks


def _safely(function, pks):
    """Handing rows to the queue must not fail a request whose change is committed: a row
    whose task could not be queued is found by the sweep."""
    try:
        function(pks)
    except Exception:
        logger.warning("could not queue %s row(s); the sweep will", len(pks), exc_info=True)


def overdue(model, *, grace):
    """Ids of rows due for longer than `grace` (their task was lost, or their retry is due)."""
    return list(
        model.objects.due(timezone.now() - grace)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:10_000]
    )
