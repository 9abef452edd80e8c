from django.core.management.base import BaseCommand

from network.calendars.services import feeds_import


class Command(BaseCommand):
    help = "Import the approved calendar feeds of the partners (also run by the scheduler)."

    def handle(self, *args, **options):
        results = feeds_import()
        failed = sum(1 for result in results.values() if result is None)
        new = sum(result[0] for result in results.values() if result)
        changed = sum(result[1] for result in results.values() if result)
        cancelled = sum(result[2] for result in results.values() if result)
        self.stdout.write(
            f"{len(results)} feed(s): {new} new, {changed} changed, {cancelled} cancelled "
            f"event(s); {failed} feed(s) failed"
        )
