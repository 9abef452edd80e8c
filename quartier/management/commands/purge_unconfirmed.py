"""Delete everything unconfirmed after its retention time. Meant for a daily cron job.

    python manage.py purge_unconfirmed [--dry-run]

- visitor ideas never confirmed: 7 days after their confirmation link expired;
- accounts never confirmed: when their confirmation link expired (purge_unconfirmed_accounts);
- unconfirmed meeting registrations and follow subscriptions: only if such models exist
  (today registrations are confirmed at once, and there are no follow subscriptions);
- the ended windows of rate limits and log-in throttles in the database (quartier.counters).
- used one-time form keys older than their forms may be (quartier.formkeys).

Idempotent: a second run finds nothing more to delete. Prints one count per kind.
"""

from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from participation.ideas.services import ideas_purge_unconfirmed
from quartier.accounts.services import accounts_purge_unconfirmed
from quartier.counters import counters_purge
from quartier.formkeys import formkeys_purge

# For models of later parts that follow the convention: a nullable `confirmed_at` and a
# `created_at`; unconfirmed rows are deleted after this time.
GENERIC_RETENTION = timedelta(days=14)
GENERIC_MODELS = [
    ("participation", "Registration"),
    ("participation", "Subscription"),
    ("participation", "Follow"),
    ("notifications", "Subscription"),
    ("notifications", "Follow"),
]


def _optional_model(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    fields = {field.name for field in model._meta.get_fields()}
    if {"confirmed_at", "created_at"} <= fields:
        return model
    return None


def purge_optional(model, *, now, dry_run):
    stale = model.objects.filter(confirmed_at__isnull=True, created_at__lt=now - GENERIC_RETENTION)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        count, _detail = stale.delete()
    return count


class Command(BaseCommand):
    help = "Delete unconfirmed ideas, accounts and subscriptions after their retention time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        verb = "would be deleted" if dry_run else "deleted"
        counts = [
            ("unconfirmed idea(s)", ideas_purge_unconfirmed(now=now, dry_run=dry_run)),
            ("unconfirmed account(s)", accounts_purge_unconfirmed(dry_run=dry_run)),
        ]
        for app_label, model_name in GENERIC_MODELS:
            model = _optional_model(app_label, model_name)
            if model is not None:
                label = f"unconfirmed {model._meta.verbose_name_plural} ({model._meta.label})"
                counts.append((label, purge_optional(model, now=now, dry_run=dry_run)))
        if not dry_run:  # ended windows of rate limits (hashed IPs and names): nothing to keep
            counts.append(("ended rate-limit window(s)", counters_purge()))
        counts.append(("expired form key(s)", formkeys_purge(now=now, dry_run=dry_run)))
        for label, count in counts:
            self.stdout.write(f"{count} {label} {verb}.")
