"""Population figures per area and group (Lebenswelten: who lives here, who is reached)."""

import csv
import io

from django.db import transaction

from neighbourhoods.models import Area
from quartier.text import clean_line

from .models import PopulationFigure

MAX_ROWS = 100_000


class PopulationImportError(Exception):
    pass


def population_import(data):
    """Replace the figures of every (area, group) in `data` (CSV bytes); all or nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PopulationImportError("The file is not UTF-8.") from error
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=";,") if text.strip() else csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) > MAX_ROWS:
        raise PopulationImportError(f"More than {MAX_ROWS} rows.")
    areas = {area.slug: area for area in Area.objects.without_geometry()}
    figures = {}
    for number, row in enumerate(rows, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise PopulationImportError(f"Line {number}: expected 3 columns, got {len(row)}.")
        slug, group, count = (cell.strip() for cell in row)
        if number == 1 and not count.isdigit():
            continue  # a header
        if slug not in areas:
            raise PopulationImportError(f"Line {number}: no area with the slug {slug!r}.")
        group = clean_line(group)[:100]
        if not group:
            raise PopulationImportError(f"Line {number}: the group is empty.")
        if not count.isdigit() or int(count) > 10_000_000:
            raise PopulationImportError(f"Line {number}: {count!r} is not a count.")
        figures[(areas[slug].pk, group)] = int(count)
    with transaction.atomic():
        for (area_id, group), count in figures.items():
            PopulationFigure.objects.update_or_create(
                area_id=area_id, group=group, defaults={"count": count}
            )
    return len(figures)
