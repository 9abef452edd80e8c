from django.core.management.base import BaseCommand

from participation.summaries.services import summaries_rebuild
from quartier import fragments


class Command(BaseCommand):
    help = "Count every area's ideas and mood answers again into the summary rows."

    def handle(self, *args, **options):
        ideas, mood = summaries_rebuild()
        fragments.everything_changed()
        self.stdout.write(f"{ideas} idea summary rows, {mood} mood summary rows")
