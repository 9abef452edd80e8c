"""`manage.py import_population FILE`: population per area and group from a CSV of the
statistics office (columns: area slug, group, count; a header row is optional; `;` or `,`).
All or nothing: any bad row stops the import with its line number."""

from django.core.management.base import BaseCommand, CommandError

from participation.surveys.population import PopulationImportError, population_import


class Command(BaseCommand):
    help = "Load population figures per area and group from a CSV (area slug, group, count)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as handle:
                count = population_import(handle.read())
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        except PopulationImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} population figure(s) loaded.")
