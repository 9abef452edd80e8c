"""Demo ideas, strengths and weaknesses in whatever current areas exist (none without areas).

Called from `participation.demo.load`. Idempotent by title. Ideas, comments, supports and photos go
through the services; statuses and answers are written directly so loading the demo sends no
mail.
"""

import random
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import shape

from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area
from participation.topics.models import Topic

from . import services
from .models import Answer, Channel, Idea, IdeaStatus

SUBJECTS = [
    ("idea", "Mehr Bänke am Marktplatz", "Ältere Menschen brauchen Pausen beim Einkaufen."),
    ("idea", "Gemeinschaftsgarten hinter der Schule", "Eine Brachfläche könnte ein Garten werden."),
    ("idea", "Nachbarschaftsfest im Sommer", "Einmal im Jahr alle an einen Tisch."),
    ("idea", "Tauschregal in der Bücherei", "Bücher und Spiele tauschen statt wegwerfen."),
    ("idea", "Sichere Fahrradständer am Bahnhof", "Überdachte Bügel statt wilder Abstellplätze."),
    ("idea", "Trinkbrunnen im Park", "Im Sommer fehlt kostenloses Wasser."),
    ("idea", "Sprachcafé für Neuzugezogene", "Deutsch üben bei Kaffee und Kuchen."),
    ("strength", "Der Wochenmarkt", "Hier trifft sich das ganze Viertel."),
    ("strength", "Die Stadtteilbibliothek", "Freundlich, offen und mit gutem Programm."),
    ("strength", "Der Spielplatz am Teich", "Schattig und gepflegt."),
    ("strength", "Hilfsbereite Nachbarschaft", "Man kennt sich und hilft sich."),
    ("strength", "Das Jugendzentrum", "Ein Ort, an dem Jugendliche willkommen sind."),
    ("weakness", "Dunkle Unterführung", "Abends unheimlich, die Beleuchtung fällt oft aus."),
    ("weakness", "Zugeparkte Gehwege", "Mit Kinderwagen oder Rollator kommt man nicht durch."),
    ("weakness", "Müll an den Containern", "Die Glascontainer quellen ständig über."),
    ("weakness", "Zu wenig Ärztinnen und Ärzte", "Lange Wege und lange Wartezeiten."),
    ("weakness", "Gefährliche Kreuzung", "Die Ampelphase für Fußgänger ist viel zu kurz."),
]
STATUSES = [
    IdeaStatus.PUBLISHED,
    IdeaStatus.PUBLISHED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.PLANNED,
    IdeaStatus.REALISED,
    IdeaStatus.NOT_FEASIBLE,
    IdeaStatus.PENDING,
    IdeaStatus.REJECTED,
]
ANSWERS = {
    IdeaStatus.UNDER_REVIEW: "Danke! Wir prüfen das mit dem zuständigen Amt.",
    IdeaStatus.PLANNED: "Das ist für das nächste Jahr eingeplant.",
    IdeaStatus.REALISED: "Erledigt – schauen Sie gern vorbei.",
    IdeaStatus.NOT_FEASIBLE: "Leider nicht möglich, die Fläche gehört nicht der Stadt.",
}
COLOURS = [(29, 91, 121), (30, 122, 70), (179, 38, 30), (230, 160, 40)]


def _photo(rng, title):
    image = Image.new("RGB", (900, 600), rng.choice(COLOURS))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(900), rng.randrange(600)
        draw.ellipse(
            [x, y, x + rng.randrange(40, 200), y + rng.randrange(40, 200)], fill=rng.choice(COLOURS)
        )
    draw.text((30, 30), title, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _point_in(area, rng):
    geometry = shape(area.boundary)
    min_x, min_y, max_x, max_y = geometry.bounds
    for _ in range(200):
        lng, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if area_id_for_point(lng, lat) == area.pk:
            return {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}
    return None


def _residents():
    User = get_user_model()
    people = []
    for number, (first, last) in enumerate(
        [("Anna", "Acker"), ("Bülent", "Berg"), ("Carla", "Cordes"), ("Dimitri", "Dahl")], 1
    ):
        user, created = User.objects.get_or_create(
            username=f"nachbar-{number}",
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"nachbar-{number}@demo.quartier.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
        people.append(user)
    resident = User.objects.filter(username="bewohnerin").first()
    return ([resident] if resident else []) + people


def load(*, stdout):
    areas = list(Area.objects.current().exclude(boundary__isnull=True).order_by("pk"))
    if not areas:
        stdout.write("participation: keine Gebiete – keine Demo-Beiträge.")
        return
    User = get_user_model()
    staff = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.filter(username="koordination").first()
    )
    if staff is None:
        stdout.write("participation: kein Koordinationskonto – keine Demo-Beiträge.")
        return
    rng = random.Random(4711)
    residents = _residents()
    topics = list(Topic.objects.all())
    created = 0
    seen = set()
    for number in range(60):
        area = areas[number % len(areas)]
        kind, base, text = SUBJECTS[number % len(SUBJECTS)]
        key = (base, area.pk)
        title = f"{base} ({area.name})" if key not in seen else f"{base} ({area.name}, {number})"
        seen.add(key)
        if Idea.objects.filter(title=title).exists():
            continue
        location = _point_in(area, rng) if number % 7 else None
        by_resident = number % 3 != 0 and residents
        idea = services.idea_submit(
            kind=kind,
            title=title,
            text=text,
            topic=topics[number % len(topics)],
            location=location,
            area=area,
            photo=_photo(rng, base) if number % 5 == 0 else None,
            photo_alt=f"Gezeichnetes Beispielbild: {base}" if number % 5 == 0 else "",
            user=residents[number % len(residents)] if by_resident else None,
            author_name="" if by_resident else "Gast am Infostand",
            channel=Channel.ONLINE
            if by_resident
            else [Channel.MEETING, Channel.PHONE, Channel.PAPER][number % 3],
            entered_by=None if by_resident else staff,
        )
        status = STATUSES[number % len(STATUSES)]
        if status != IdeaStatus.PENDING:
            idea.status = (
                IdeaStatus.REJECTED if status == IdeaStatus.REJECTED else IdeaStatus.PUBLISHED
            )
            idea.published_at = timezone.now()
            idea.save(update_fields=["status", "published_at"])
        if status in ANSWERS:
            if status in (IdeaStatus.REALISED,):
                Answer.objects.create(
                    idea=idea,
                    text=ANSWERS[IdeaStatus.PLANNED],
                    status_from=IdeaStatus.PUBLISHED,
                    status_to=IdeaStatus.PLANNED,
                    author=staff,
                    author_role="Quartiersmanagement",
                )
            Answer.objects.create(
                idea=idea,
                text=ANSWERS[status],
                status_from=IdeaStatus.PLANNED
                if status == IdeaStatus.REALISED
                else IdeaStatus.PUBLISHED,
                status_to=status,
                author=staff,
                author_role="Quartiersmanagement",
            )
            idea.status = status
            idea.save(update_fields=["status"])
        if idea.is_public:
            for resident in rng.sample(residents, rng.randrange(0, len(residents) + 1)):
                if resident != idea.author:
                    services.support_add(idea=idea, user=resident, notify=rng.random() < 0.3)
            for resident in rng.sample(residents, rng.randrange(0, 3)):
                services.comment_create(
                    idea=idea,
                    user=resident,
                    text=rng.choice(
                        [
                            "Sehe ich genauso!",
                            "Gute Idee, ich helfe gern mit.",
                            "Das betrifft auch unsere Straße.",
                            "Danke fürs Einbringen.",
                        ]
                    ),
                )
        created += 1
    stdout.write(f"participation: {created} Demo-Beiträge angelegt.")
