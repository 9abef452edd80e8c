"""`manage.py import_addresses FILE [--format csv|hk-de] [--prune] [--dry-run]`.

Loads the address register from a CSV (`street,housenumber,postcode,city,lon,lat`, WGS 84) or
the official house coordinates (HK-DE, ETRS89/UTM, transformed with pyproj); the format comes
from the first line unless `--format` says it. All or nothing (one transaction), idempotent: an
address already known (same street, number and postcode) is updated, not duplicated. Any
problem ends with one clear line naming the line of the file, and a non-zero exit.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from neighbourhoods.addresses.importer import FORMATS, AddressFileError, read_addresses
from neighbourhoods.addresses.services import addresses_import

PROGRESS_FROM = 20  # show a progress bar for files with at least this many addresses
MAX_FILE_BYTES = 2 * 1024**3


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Adressen (CSV mit WGS84 oder amtliche Hauskoordinaten HK-DE) einlesen."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- oder HK-DE-Datei")
        parser.add_argument("--format", choices=FORMATS, help="Format statt der Erkennung")
        parser.add_argument("--encoding", default="utf-8-sig", help="Standard: UTF-8")
        parser.add_argument(
            "--prune", action="store_true", help="Adressen löschen, die in der Datei fehlen"
        )
        parser.add_argument("--dry-run", action="store_true", help="Alles prüfen, nichts speichern")

    def handle(self, *args, file, format=None, encoding="utf-8-sig", prune=False, dry_run=False,
               **opts):  # fmt: skip
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"Datei größer als 2 GB: {file}")
        try:
            rows = read_addresses(path.read_bytes(), file_format=format, encoding=encoding)
        except LookupError:
            raise CommandError(f"Unbekannte Kodierung: {encoding}") from None
        except AddressFileError as error:
            raise CommandError(str(error)) from None
        progress = self._progress if len(rows) >= PROGRESS_FROM else None
        try:
            with transaction.atomic():
                created, updated, unchanged, deleted = addresses_import(
                    rows=rows, prune=prune, progress=progress
                )
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(
                f"Probelauf: {created} neu, {updated} aktualisiert, {unchanged} unverändert, "
                f"{deleted} gelöscht – nichts gespeichert."
            )
            return
        except DatabaseError as error:
            raise CommandError(f"Datenbank: {str(error).splitlines()[0]}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} Adressen neu, {updated} aktualisiert, {unchanged} unverändert, "
                f"{deleted} gelöscht."
            )
        )

    def _progress(self, done, total):
        # Redrawn at each whole percent only: a register may hold a million lines.
        if done != total and 100 * done // total == 100 * (done - 1) // total:
            return
        width = 30
        filled = width * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stderr.flush()
