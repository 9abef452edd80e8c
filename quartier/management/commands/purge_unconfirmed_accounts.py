from django.core.management.base import BaseCommand

from quartier.accounts.services import accounts_purge_unconfirmed


class Command(BaseCommand):
    help = "Delete accounts whose e-mail address was not confirmed within 7 days (for cron)."

    def handle(self, *args, **options):
        count = accounts_purge_unconfirmed()
        self.stdout.write(f"{count} unconfirmed account(s) deleted.")
