"""Demo areas of the fictional Musterstadt: three quarters, Südstadt split into social spaces,
and one former social space with successors so the history shows. Idempotent (by slug)."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model

from .addresses.importer import read_addresses
from .addresses.services import addresses_import
from .models import Area, AreaAssignment

# The demo's address register: its streets in every quarter (the same file format a city's
# register may come in; `manage.py import_addresses neighbourhoods/demo_addresses.csv`).
ADDRESSES_FILE = Path(__file__).with_name("demo_addresses.csv")

# Shared edges (lng, lat), west to east, so neighbours touch without gaps or overlaps.
NORTH_EDGE = [
    (7.448, 51.509),
    (7.458, 51.5115),
    (7.470, 51.5105),
    (7.481, 51.5125),
    (7.492, 51.5095),
]
SOUTH_EDGE = [
    (7.450, 51.4905),
    (7.461, 51.4885),
    (7.472, 51.4895),
    (7.483, 51.4880),
    (7.491, 51.4910),
]
PARK_CUT = [(7.470, 51.478), (7.472, 51.466)]  # from SOUTH_EDGE[2] down to the southern edge
STATION_CUT = [(7.486, 51.479), (7.489, 51.470)]  # from SOUTH_EDGE[3] down to the southern edge


def _polygon(points):
    ring = [list(point) for point in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


INNENSTADT = _polygon(
    SOUTH_EDGE
    + [(7.494, 51.4970), (7.496, 51.5040)]
    + NORTH_EDGE[::-1]
    + [(7.444, 51.5030), (7.446, 51.4960)]
)
NORDSTADT = _polygon(
    NORTH_EDGE
    + [(7.500, 51.520), (7.490, 51.531), (7.474, 51.534), (7.458, 51.532), (7.443, 51.524)]
)
SUEDSTADT = _polygon(
    SOUTH_EDGE
    + [(7.497, 51.480), (7.489, 51.470), (7.472, 51.466), (7.455, 51.469), (7.445, 51.478)]
)
AM_PARK = _polygon(SOUTH_EDGE[:3] + PARK_CUT + [(7.455, 51.469), (7.445, 51.478)])
SUED_OST = _polygon(
    SOUTH_EDGE[2:] + [(7.497, 51.480), (7.489, 51.470)] + PARK_CUT[::-1][:1] + [PARK_CUT[0]]
)
BAHNHOF = _polygon(SOUTH_EDGE[2:4] + STATION_CUT + PARK_CUT[::-1])
AM_HAFEN = _polygon(SOUTH_EDGE[3:] + [(7.497, 51.480)] + STATION_CUT[::-1])

START = datetime.date(2024, 1, 1)
SPLIT = datetime.date(2025, 1, 1)
RESPLIT = datetime.date(2026, 3, 1)

PROFILES = {
    "innenstadt": {
        "description": "Die Innenstadt ist das Herz von Musterstadt: Fußgängerzone, Rathaus, "
        "Wochenmarkt und dazwischen Wohnungen über den Geschäften.",
        "profile_topics": "Leerstand in der Fußgängerzone, Lärm am Wochenende, bezahlbares "
        "Wohnen über den Läden und Sauberkeit rund um den Busbahnhof.",
        "profile_identification": "Der Wochenmarkt auf dem Alten Markt, die Stadtkirche und "
        "das Sommerfest im Rathaushof.",
        "profile_lifeworlds": "Alteingesessene Geschäftsleute, Studierende in WGs, ältere "
        "Menschen in den Wohnungen am Ring und viele Familien, die neu zugezogen sind.",
        "profile_quality": "Mehr Grün und Schatten auf den Plätzen, Bänke ohne Konsumzwang, "
        "sichere Radwege zum Bahnhof.",
        "profile_cooperation": "Werbegemeinschaft, Kirchengemeinde und Stadtteilbüro planen "
        "den Markt gemeinsam; ein Runder Tisch trifft sich vierteljährlich.",
    },
    "suedstadt": {
        "description": "Die Südstadt reicht vom Stadtpark bis zum Bahnhof und zum alten Hafen – "
        "ein gemischtes Quartier mit viel Wandel.",
        "profile_topics": "Der Umbau des Bahnhofsumfelds, Treffpunkte für Jugendliche und die "
        "Mieten in den sanierten Häusern.",
        "profile_identification": "Der Stadtpark mit seinem Teich, das Hafenbecken und der "
        "Kiosk an der Bahnhofstraße.",
        "profile_lifeworlds": "Familien mit Migrationsgeschichte, Rentnerinnen und Rentner in "
        "der Parksiedlung, junge Kreative in den Hafenspeichern.",
        "profile_quality": "Beleuchtung der Wege am Park, ein Quartierstreff am Bahnhof, "
        "mehr Angebote für Kinder am Nachmittag.",
        "profile_cooperation": "Moscheegemeinde, Jugendzentrum und Wohnungsgesellschaft "
        "arbeiten im Netzwerk Südstadt zusammen.",
    },
    "nordstadt": {
        "description": "Die Nordstadt ist ein Wohnquartier mit Siedlungen aus den 1960er-Jahren, "
        "Kleingärten und dem Gewerbegebiet am Kanal.",
        "profile_topics": "Nahversorgung nach der Schließung des Supermarkts, Busverbindungen "
        "am Abend und barrierefreie Wohnungen.",
        "profile_identification": "Die Kleingartenanlage Sonnenhang, der Sportverein und das "
        "Nordstadtfest im September.",
        "profile_lifeworlds": "Ältere Menschen in den Siedlungen, junge Familien in den "
        "Neubauten am Kanal und Beschäftigte aus dem Gewerbegebiet.",
        "profile_quality": "Ein Dorfladen oder Wochenmarkt, sichere Querungen an der "
        "Nordstraße, ein Treffpunkt für Seniorinnen und Senioren.",
        "profile_cooperation": "Sportverein, Seniorenbüro und Kleingärtner wollen einen "
        "gemeinsamen Quartierstisch gründen.",
    },
}

QUARTERS = [
    ("innenstadt", "Innenstadt", INNENSTADT, "#1d5b79"),
    ("suedstadt", "Südstadt", SUEDSTADT, "#2e7d4f"),
    ("nordstadt", "Nordstadt", NORDSTADT, "#8a5a00"),
]
SOCIAL_SPACES = [
    # slug, name, boundary, colour, valid_from, valid_until
    ("suedstadt-am-park", "Südstadt-Am Park", AM_PARK, "#2e7d4f", SPLIT, None),
    ("suedstadt-ost", "Südstadt-Ost", SUED_OST, "#7b3f8c", SPLIT, RESPLIT),
    ("suedstadt-bahnhofsviertel", "Südstadt-Bahnhofsviertel", BAHNHOF, "#b3261e", RESPLIT, None),
    ("suedstadt-am-hafen", "Südstadt-Am Hafen", AM_HAFEN, "#00687a", RESPLIT, None),
]
MANAGERS = {"qm-innenstadt": "innenstadt", "qm-suedstadt": "suedstadt", "qm-nordstadt": "nordstadt"}


def load(*, stdout):
    areas = {}
    for slug, name, boundary, colour in QUARTERS:
        areas[slug], _ = Area.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Area.Kind.QUARTER,
                "parent": None,
                "boundary": boundary,
                "colour": colour,
                "valid_from": START,
                "valid_until": None,
                **PROFILES[slug],
            },
        )
    for slug, name, boundary, colour, valid_from, valid_until in SOCIAL_SPACES:
        areas[slug], _ = Area.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Area.Kind.SOCIAL_SPACE,
                "parent": areas["suedstadt"],
                "boundary": boundary,
                "colour": colour,
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
    for successor in ("suedstadt-bahnhofsviertel", "suedstadt-am-hafen"):
        areas[successor].predecessors.add(areas["suedstadt-ost"])

    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["koordination", *MANAGERS])
    }
    if "koordination" in users:
        for slug, *_rest in QUARTERS:
            AreaAssignment.objects.get_or_create(
                user=users["koordination"],
                area=areas[slug],
                role=AreaAssignment.Role.COORDINATION,
            )
    for username, slug in MANAGERS.items():
        if username in users:
            AreaAssignment.objects.get_or_create(
                user=users[username],
                area=areas[slug],
                role=AreaAssignment.Role.MANAGER,
                defaults={"public_contact": f"Stadtteilbüro {areas[slug].name}, Tel. 0123 4567-0"},
            )
    stdout.write(
        f"Gebiete: {Area.objects.current().count()} aktuell, {Area.objects.count()} insgesamt."
    )
    created, updated, _unchanged, _deleted = addresses_import(
        rows=read_addresses(ADDRESSES_FILE.read_bytes(), file_format="csv")
    )
    stdout.write(f"Adressen: {created} neu, {updated} aktualisiert.")
