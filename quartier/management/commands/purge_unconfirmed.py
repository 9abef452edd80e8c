"""Delete everything unconfirmed after its retention time. Meant for a daily cron job.

    python manage.py purge_unconfirmed [--dry-run]

Runs every purge the apps registered (`quartier.purge.register_purge`; today participation's
unconfirmed visitor ideas and follow subscriptions), then deletes the accounts never confirmed
(`purge_unconfirmed_accounts`), the ended windows of rate limits and log-in throttles in the
database (`quartier.counters`) and the used one-time form keys older than their forms may be
(`quartier.formkeys`). Idempotent: a second run finds nothing more to delete. Prints one count
per kind.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quartier.accounts.services import accounts_purge_unconfirmed
from quartier.counters import counters_purge
from quartier.formkeys import formkeys_purge
from quartier.purge import purges


class Command(BaseCommand):
    help = "Delete unconfirmed ideas, accounts and subscriptions after their retention time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        verb = "would be deleted" if dry_run else "deleted"
        counts = [(purge.label, purge.purge(now=now, dry_run=dry_run)) for purge in purges()]
        counts.append(("unconfirmed account(s)", accounts_purge_unconfirmed(dry_run=dry_run)))
        if not dry_run:  # ended windows of rate limits (hashed IPs and names): nothing to keep
            counts.append(("ended rate-limit window(s)", counters_purge()))
        counts.append(("expired form key(s)", formkeys_purge(now=now, dry_run=dry_run)))
        counts.append(("expired form key(s)", formkeys_purge(now=now, dry_run=dry_run)))
        for label, count in counts:
            self.stdout.write(f"{count} {label} {verb}.")
