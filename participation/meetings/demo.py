"""Demo meetings and registrations (some full, with a waiting list).

Called from `participation.demo.load`. Idempotent: meetings by (area, title), registrations by
(meeting, e-mail). Creates nothing without areas.
"""

import datetime

from django.utils import timezone

from neighbourhoods.models import Area

from .models import Meeting, Registration

PLANS = [
    # (days from today, hour, kind, title, capacity, registrations)
    (-120, 18, Meeting.Kind.TALK, "Stadtteilgespräch: Wie geht es weiter am Marktplatz?", None, 0),
    (-45, 15, Meeting.Kind.WALK, "Quartiersspaziergang: Dunkle Ecken und schöne Plätze", 15, 0),
    (-10, 10, Meeting.Kind.OFFICE_HOURS, "Sprechstunde des Quartiersteams", None, 0),
    (6, 17, Meeting.Kind.WORKSHOP, "Workshop: Unser Spielplatz soll schöner werden", 6, 9),
    (14, 18, Meeting.Kind.TALK, "Stadtteilgespräch: Verkehr vor der Schule", 40, 3),
    (30, 14, Meeting.Kind.FESTIVAL, "Nachbarschaftsfest im Park", None, 2),
]
MINUTES = (
    "Rund {n} Menschen aus der Nachbarschaft waren da. Wichtigste Punkte: mehr Bänke, "
    "bessere Beleuchtung am Durchgang, ein regelmäßiger Treffpunkt für Ältere. "
    "Das Quartiersteam klärt die Vorschläge mit der Verwaltung und berichtet beim nächsten Treffen."
)
NAMES = ["Aylin K.", "Jonas M.", "Maria S.", "Peter W.", "Fatma D.", "Lena B.", "Olga P.", "Tim R."]


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


def load(*, stdout):
    areas = list(Area.objects.current())
    if not areas:
        stdout.write("Treffen: keine Gebiete, keine Demo-Treffen.")
        return
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    for area in areas:
        for days, hour, kind, title, capacity, registrations in PLANS:
            day = today + datetime.timedelta(days=days)
            starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
            meeting, _created = Meeting.objects.update_or_create(
                area=area,
                title=title,
                defaults={
                    "kind": kind,
                    "text": f"Wir laden alle ein, die in {area.name} leben oder arbeiten.",
                    "address": f"Nachbarschaftszentrum {area.name}, Hauptstraße 1",
                    "location": _point(area),
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=2),
                    "capacity": capacity,
                    "step_free": days % 2 == 0,
                    "hearing_loop": kind == Meeting.Kind.TALK,
                    "languages": "Deutsch, Türkisch" if kind == Meeting.Kind.TALK else "Deutsch",
                    "status": Meeting.Status.HELD if days < 0 else Meeting.Status.PLANNED,
                    "minutes": MINUTES.format(n=12 + abs(days) % 20) if days < 0 else "",
                },
            )
            confirmed = 0
            for index in range(registrations):
                email = f"teilnahme{index + 1}@demo.quartier.invalid"
                people = 1 + index % 2
                fits = capacity is None or confirmed + people <= capacity
                status = Registration.Status.CONFIRMED if fits else Registration.Status.WAITING
                if fits:
                    confirmed += people
                Registration.objects.get_or_create(
                    meeting=meeting,
                    email=email,
                    defaults={
                        "name": NAMES[index % len(NAMES)],
                        "people": people,
                        "status": status,
                        "created_at": timezone.now() - datetime.timedelta(hours=50 - index),
                    },
                )
    stdout.write(f"Treffen: {len(areas)} Gebiete mit Demo-Treffen.")
