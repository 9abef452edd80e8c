from django.core.management.base import BaseCommand

from participation.subscriptions.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Queue the digests of followed areas and places now (the worker does it every Monday "
        "at 7 o'clock by itself; it sends them). Idempotent: nothing is queued twice."
    )

    def handle(self, *args, **options):
        queued = send_digests()
        self.stdout.write(f"{queued} digest mail(s) queued.")
