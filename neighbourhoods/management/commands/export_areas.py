"""`manage.py export_areas [--all] [--output FILE]`: areas as a GeoJSON FeatureCollection."""

import json

from django.core.management.base import BaseCommand

from neighbourhoods.geojson_io import area_feature, feature_collection
from neighbourhoods.models import Area


class Command(BaseCommand):
    help = "Aktuelle Gebiete (mit --all: alle, mit Geschichte) als GeoJSON ausgeben."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Auch frühere Gebiete ausgeben")
        parser.add_argument("--output", help="In diese Datei schreiben statt auf die Ausgabe")

    def handle(self, *args, all=False, output=None, **options):
        areas = Area.objects.all() if all else Area.objects.current()
        areas = (
            areas.select_related("parent")
            .prefetch_related("predecessors")
            .order_by("valid_from", "name")
        )
        data = feature_collection(area_feature(area, history=True, exact=True) for area in areas)
        text = json.dumps(data, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"{len(data['features'])} Gebiete nach {output} geschrieben.")
        else:
            self.stdout.write(text)
