"""`manage.py import_areas FILE --kind quarter|social_space [--parent SLUG]`.

All or nothing (one transaction), idempotent: an area with the same name under the same parent
is updated, not duplicated. Any problem ends with one clear line and a non-zero exit.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from shapely.geometry import shape

from neighbourhoods.geojson_io import read_feature_collection
from neighbourhoods.geometry import boundary_shape, check_no_overlap, check_within
from neighbourhoods.models import Area
from neighbourhoods.services import PALETTE, unique_slug

PROGRESS_FROM = 20  # show a progress bar for files with at least this many features


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Gebiete aus einer GeoJSON-FeatureCollection (WGS84) anlegen oder aktualisieren."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON-Datei (FeatureCollection)")
        parser.add_argument("--kind", required=True, choices=[choice.value for choice in Area.Kind])
        parser.add_argument("--parent", help="Kurzname (slug) des übergeordneten Gebiets")
        parser.add_argument(
            "--name-property", default="name", help="Eigenschaft mit dem Namen (Standard: name)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Alles prüfen, nichts speichern")

    def handle(self, *args, file, kind, parent=None, name_property="name", dry_run=False, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        parent_area = None
        if parent:
            parent_area = Area.objects.current().filter(slug=parent).first()
            if parent_area is None:
                raise CommandError(f"Kein aktuelles Gebiet mit dem Kurznamen „{parent}“.")
        try:
            features = read_feature_collection(path.read_bytes(), name_property=name_property)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        try:
            with transaction.atomic():
                created, updated = self._write(features, kind=kind, parent=parent_area)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(
                f"Probelauf: {created} neu, {updated} aktualisiert – nichts gespeichert."
            )
            return
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{created} Gebiete neu, {updated} aktualisiert."))

    def _write(self, features, *, kind, parent):
        existing = {
            area.name.casefold(): area for area in Area.objects.current().filter(parent=parent)
        }
        names_in_file = {feature["name"].casefold() for feature in features}
        others = [
            (area.name, boundary_shape(area.boundary))
            for key, area in existing.items()
            if key not in names_in_file
        ]
        parent_shape = boundary_shape(parent.boundary) if parent else None
        total, created, updated = len(features), 0, 0
        for number, feature in enumerate(features, start=1):
            geometry = shape(feature["boundary"])
            try:
                if parent_shape is not None:
                    check_within(geometry, parent_shape, parent_name=parent.name)
                check_no_overlap(geometry, others)
            except ValidationError as error:
                raise ValidationError(
                    f"Feature {number} („{feature['name']}“): {' '.join(error.messages)}"
                ) from error
            others.append((feature["name"], geometry))
            area = existing.get(feature["name"].casefold())
            if area is None:
                area = Area(
                    name=feature["name"],
                    slug=unique_slug(feature["name"]),
                    kind=kind,
                    parent=parent,
                    colour=feature["colour"] or PALETTE[(number - 1) % len(PALETTE)],
                )
                created += 1
            else:
                area.kind = kind
                if feature["colour"]:
                    area.colour = feature["colour"]
                updated += 1
            area.boundary = feature["boundary"]
            # The boundary was checked above against the file and the remaining siblings (the
            # model's clean() would compare with siblings whose update is still to come).
            area.clean_fields(exclude=["boundary"])
            area.validate_unique()
            area.validate_constraints()
            area.save()
            if total >= PROGRESS_FROM:
                self._progress(number, total)
        return created, updated

    def _progress(self, done, total):
        width = 30
        filled = width * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stderr.flush()
