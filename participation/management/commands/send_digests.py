from django.core.management.base import BaseCommand

from participation.subscriptions.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send the weekly digests of followed areas and places (run it weekly from cron). "
        "Idempotent: what was sent is recorded and never sent again."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest mail(s) sent.")
