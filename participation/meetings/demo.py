"""Demo meetings and registrations: different meetings per area at places of that area, held
ones with minutes, coming ones — a few full with a waiting list, a few with room.

Called from `participation.demo.load`. Idempotent: meetings by (area, title), registrations by
(meeting, e-mail) — a meeting or registration that exists, the demo's or someone else's with
the same title or address, is left alone (never a second one, never a crash). Ideas entered
at a meeting ("Bei einem Treffen") are linked to the last meeting held before them. Creates
nothing without areas.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area
from participation.ideas.models import Channel, Idea

from .models import Meeting, Registration

TALK, WALK, OFFICE, FESTIVAL, WORKSHOP = (
    Meeting.Kind.TALK,
    Meeting.Kind.WALK,
    Meeting.Kind.OFFICE_HOURS,
    Meeting.Kind.FESTIVAL,
    Meeting.Kind.WORKSHOP,
)

# (days from today, hour, kind, title, place, capacity, registrations, people per registration)
PLANS = {
    "innenstadt": [
        (
            -150,
            18,
            TALK,
            "Runder Tisch Alter Markt: Wie geht es weiter mit den Bänken?",
            "Rathaus, Ratssaal, Marktplatz 1",
            None,
            0,
            1,
        ),
        (
            -40,
            15,
            WALK,
            "Abendspaziergang: Dunkle Ecken zwischen Markt und Parkhaus",
            "Treffpunkt Marktbrunnen, Alter Markt",
            15,
            0,
            1,
        ),
        (
            5,
            10,
            OFFICE,
            "Sprechstunde des Stadtteilbüros Innenstadt",
            "Stadtteilbüro, Kirchplatz 3",
            None,
            0,
            1,
        ),
        (
            12,
            18,
            TALK,
            "Leerstand in der Fußgängerzone: Ideen für die Zwischennutzung",
            "Stadtteilbibliothek, Kirchplatz 5",
            40,
            3,
            2,
        ),
        (33, 16, FESTIVAL, "Sommerfest im Rathaushof", "Rathaushof, Marktplatz 1", None, 0, 1),
    ],
    "nordstadt": [
        (
            -120,
            17,
            TALK,
            "Stadtteilgespräch: Einkaufen ohne Supermarkt",
            "Gemeindehaus St. Marien, Sonnenhang 12",
            None,
            0,
            1,
        ),
        (
            -25,
            14,
            WALK,
            "Quartiersspaziergang durch die Kleingärten",
            "Eingang Kleingartenanlage Sonnenhang",
            20,
            0,
            1,
        ),
        (
            8,
            15,
            WORKSHOP,
            "Workshop: Ein Treffpunkt für Ältere in der Nordstadt",
            "Gemeindehaus St. Marien, Sonnenhang 12",
            8,
            10,
            1,
        ),
        (
            19,
            18,
            TALK,
            "Bürgerabend: Abendbus und sichere Wege zur Schule",
            "Vereinsheim Nord 08, Kanalstraße 40",
            40,
            2,
            2,
        ),
    ],
    "suedstadt": [
        (
            -90,
            18,
            TALK,
            "Netzwerk Südstadt: Jahresgespräch mit Vereinen und Gemeinden",
            "Jugendzentrum Süd, Parkallee 20",
            None,
            0,
            1,
        ),
        (
            21,
            17,
            TALK,
            "Mietberatung und Austausch: Wohnen in der Südstadt",
            "Jugendzentrum Süd, Parkallee 20",
            30,
            4,
            1,
        ),
    ],
    "suedstadt-am-park": [
        (
            -60,
            10,
            WORKSHOP,
            "Pflanzaktion im Gemeinschaftsgarten",
            "Brachfläche Parkstraße / Ecke Lindenweg",
            25,
            0,
            1,
        ),
        (
            6,
            17,
            WORKSHOP,
            "Workshop: Unser Spielplatz am Teich soll schöner werden",
            "Parkcafé am Teich, Parkallee 2",
            6,
            9,
            2,
        ),
        (26, 15, WALK, "Parkrundgang mit dem Grünflächenamt", "Parkeingang Lindenweg", 25, 5, 1),
    ],
    "suedstadt-bahnhofsviertel": [
        (
            -14,
            18,
            TALK,
            "Stadtteilgespräch: Was wird aus dem Kiosk?",
            "Moscheegemeinde, Bahnhofstraße 14",
            None,
            0,
            1,
        ),
        (
            10,
            11,
            OFFICE,
            "Offene Sprechstunde am Bahnhof",
            "Quartierstreff, Bahnhofstraße 9",
            None,
            0,
            1,
        ),
        (
            16,
            18,
            WORKSHOP,
            "Wandbild an der Bahnbrücke: Entwürfe mit Jugendlichen",
            "Jugendzentrum Süd, Parkallee 20",
            12,
            6,
            1,
        ),
    ],
    "suedstadt-am-hafen": [
        (-75, 16, FESTIVAL, "Hafenfest am Kai", "Kai am Hafenbecken", None, 0, 1),
        (
            9,
            19,
            TALK,
            "Lkw in der Speicherstraße: Wie geht es weiter?",
            "Atelier im Speicher 3, Speicherstraße 3",
            35,
            4,
            1,
        ),
        (
            40,
            15,
            FESTIVAL,
            "Offene Ateliers in den Hafenspeichern",
            "Hafenspeicher, Speicherstraße 1–5",
            None,
            0,
            1,
        ),
    ],
}
GENERIC = [
    (
        -45,
        15,
        WALK,
        "Quartiersspaziergang: Dunkle Ecken und schöne Plätze",
        "Treffpunkt am Quartiersplatz",
        15,
        0,
        1,
    ),
    (
        6,
        17,
        WORKSHOP,
        "Workshop: Unser Spielplatz soll schöner werden",
        "Nachbarschaftszentrum, Hauptstraße 1",
        6,
        9,
        2,
    ),
    (
        14,
        18,
        TALK,
        "Stadtteilgespräch: Verkehr vor der Schule",
        "Nachbarschaftszentrum, Hauptstraße 1",
        40,
        3,
        2,
    ),
]
TEXTS = {
    TALK: "Wir laden alle ein, die in {area} leben oder arbeiten: Was bewegt Sie, was "
    "schlagen Sie vor? Das Quartiersteam berichtet, was aus den letzten Vorschlägen geworden ist.",
    WALK: "Gemeinsam durch {area}: Wir schauen uns an, was gut ist und was fehlt, und nehmen "
    "Ihre Hinweise mit. Festes Schuhwerk empfohlen.",
    OFFICE: "Ohne Anmeldung: Das Quartiersteam hat ein offenes Ohr für Fragen, Ideen und "
    "Beschwerden aus {area}.",
    FESTIVAL: "Musik, Essen aus vielen Küchen und Angebote für Kinder – in {area} feiern alle "
    "zusammen.",
    WORKSHOP: "Wir planen gemeinsam: mit Karten, Fotos und viel Papier. Für Kinderbetreuung "
    "ist gesorgt.",
}
MINUTES = {
    TALK: "Rund {n} Menschen waren da. Wichtigste Punkte: mehr Sitzgelegenheiten, bessere "
    "Beleuchtung und ein regelmäßiger Treffpunkt. Das Quartiersteam klärt die Vorschläge mit der "
    "Verwaltung und berichtet beim nächsten Treffen.",
    WALK: "{n} Teilnehmende, sieben Stationen. Notiert wurden drei dunkle Stellen, zwei "
    "kaputte Bänke und ein zugeparkter Gehweg; alles ist an die zuständigen Ämter gegangen.",
    WORKSHOP: "{n} Menschen haben mitgeplant. Die Entwürfe hängen im Stadtteilbüro aus; die "
    "Umsetzung beginnt, sobald die Mittel bewilligt sind.",
    FESTIVAL: "Über {n}0 Gäste, zwölf Stände von Vereinen und Gemeinden – danke an alle, die "
    "mitgeholfen haben!",
    OFFICE: "{n} Gespräche, vor allem zu Wohnen und Verkehr.",
}
NAMES = [
    "Aylin K.",
    "Jonas M.",
    "Maria S.",
    "Peter W.",
    "Fatma D.",
    "Lena B.",
    "Olga P.",
    "Tim R.",
    "Hüseyin A.",
    "Jürgen Ö.",
]


def _point(area):
    boundary = area.boundary or {}
    try:
        ring = (
            boundary["coordinates"][0]
            if boundary.get("type") == "Polygon"
            else boundary["coordinates"][0][0]
        )
        lng = sum(c[0] for c in ring[:-1]) / (len(ring) - 1)
        lat = sum(c[1] for c in ring[:-1]) / (len(ring) - 1)
        return {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}
    except (KeyError, IndexError, TypeError, ZeroDivisionError):
        return None


def _register(meeting, count, people):
    """`count` sign-ups in order: confirmed while they fit, then the waiting list."""
    confirmed = 0
    for index in range(count):
        email = f"teilnahme{index + 1}@demo.quartier.invalid"
        if Registration.objects.filter(meeting=meeting, email=email).exists():
            continue
        size = people if index % 2 == 0 else 1
        fits = meeting.capacity is None or confirmed + size <= meeting.capacity
        if fits:
            confirmed += size
        Registration.objects.create(
            meeting=meeting,
            email=email,
            name=NAMES[index % len(NAMES)],
            people=size,
            status=Registration.Status.CONFIRMED if fits else Registration.Status.WAITING,
            created_at=timezone.now() - datetime.timedelta(hours=80 - index),
        )


def _link_collected_ideas(area):
    """Ideas entered "Bei einem Treffen" belong to the area's last meeting held before them."""
    held = list(
        Meeting.objects.filter(area=area, status=Meeting.Status.HELD).order_by("-starts_at")
    )
    for idea in Idea.objects.filter(area=area, channel=Channel.MEETING, meeting=None):
        meeting = next((m for m in held if m.starts_at <= idea.created_at), None)
        if meeting is not None:
            Idea.objects.filter(pk=idea.pk).update(meeting=meeting)


def load(*, stdout):
    areas = list(Area.objects.current())
    if not areas:
        stdout.write("Treffen: keine Gebiete, keine Demo-Treffen.")
        return
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    created = 0
    for area in areas:
        for days, hour, kind, title, place, capacity, registrations, people in PLANS.get(
            area.slug, GENERIC
        ):
            if Meeting.objects.filter(area=area, title=title).exists():
                continue
            starts = datetime.datetime.combine(
                today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=tz
            )
            meeting = Meeting.objects.create(
                area=area,
                title=title,
                kind=kind,
                text=TEXTS[kind].format(area=area.name),
                address=place,
                location=_point(area),
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                capacity=capacity,
                step_free=days % 2 == 0,
                hearing_loop=kind == TALK,
                languages="Deutsch, Türkisch, Arabisch" if kind == TALK else "Deutsch",
                status=Meeting.Status.HELD if days < 0 else Meeting.Status.PLANNED,
                minutes=MINUTES[kind].format(n=8 + abs(days) % 25) if days < 0 else "",
            )
            # announced three weeks before (or when it was held), not at the moment of loading
            announced = min(timezone.now(), starts - datetime.timedelta(days=21))
            Meeting.objects.filter(pk=meeting.pk).update(created_at=announced)
            _register(meeting, registrations, people)
            created += 1
        _link_collected_ideas(area)
    _resident_signs_up()
    stdout.write(f"Treffen: {created} Demo-Treffen in {len(areas)} Gebieten angelegt.")


def _resident_signs_up():
    """`bewohnerin` went to a meeting and is signed up for a coming one ("Meine Beiträge")."""
    resident = get_user_model().objects.filter(username="bewohnerin").first()
    if resident is None or Registration.objects.filter(user=resident).exists():
        return
    past = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    coming = (
        Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__gt=timezone.now())
        .exclude(capacity__isnull=False, capacity__lt=10)
        .order_by("starts_at")
        .first()
    )
    for meeting in (past, coming):
        if meeting is not None:
            Registration.objects.create(
                meeting=meeting,
                user=resident,
                name=resident.get_full_name() or resident.username,
                email=resident.email,
                people=2 if meeting is coming else 1,
            )
