from django.core.management.base import BaseCommand

from participation.opendata.downloads import build, build_if_changed


class Command(BaseCommand):
    help = (
        "Build the open-data downloads (ideen.csv, ideen.geojson) when the data changed, at "
        "most every OPEN_DATA_BUILD_SECONDS. Run it every few minutes from the scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Build now, even if nothing changed."
        )

    def handle(self, *args, force=False, **options):
        if force:
            changed = build(force=True)
            self.stdout.write(f"built; changed: {', '.join(changed) or 'nothing'}")
            return
        self.stdout.write(build_if_changed())
