"""Demo contributions in whatever current areas exist (none without areas).

Called from `participation.demo.load`. Realistic subjects per area (`demo_data.py`), spread
over the last 18 months with more in recent months, so the reports show a trend; each with the
answers that led to its status, supports and comments dated after it. Idempotent by (title,
area): contributions that exist — the demo's or a resident's with the same title — are left
alone. Ideas, comments, supports and photos go through the services; statuses, answers and
dates are written directly, so loading the demo sends no mail.
"""

import datetime
import itertools
import random
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import shape

from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area
from participation.topics.models import Topic

from . import services
from .demo_data import COMMENTS, GENERIC, SUBJECTS
from .models import Answer, Channel, Comment, Idea, IdeaStatus, ModerationLog, Support

DAYS = 540  # 18 months
# The statuses an idea passes on its way to a final status (see STATUS_TRANSITIONS); a subject
# with n answers takes the last n steps.
PATHS = {
    IdeaStatus.PUBLISHED: [IdeaStatus.PUBLISHED],
    IdeaStatus.UNDER_REVIEW: [IdeaStatus.UNDER_REVIEW],
    IdeaStatus.PLANNED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED],
    IdeaStatus.REALISED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.REALISED],
    IdeaStatus.NOT_FEASIBLE: [IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_FEASIBLE],
}
NEIGHBOURS = [
    ("Anna", "Acker"),
    ("Bülent", "Berg"),
    ("Carla", "Cordes"),
    ("Dimitri", "Dahl"),
    ("Elif", "Ergün"),
    ("Frank", "Förster"),
    ("Grażyna", "Gómez"),
    ("Hannes", "Hübner"),
]
SKY, GROUND = (186, 215, 232), (126, 170, 110)
PHOTO_COLOURS = [(29, 91, 121), (30, 122, 70), (179, 38, 30), (230, 160, 40), (111, 78, 55)]
UMLAUTS = "ÄÖÜäöüß"
FONT_NAMES = [
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "NotoSans-Regular.ttf",
    "FreeSans.ttf",
    "Arial.ttf",
    "arial.ttf",
]


def caption_font(size=34):
    """A font that draws German umlauts, or None. Pillow's own default font has no glyphs for
    them, and which system fonts exist differs between machines: a font counts only if its
    umlauts look different from a character it surely lacks (its "missing glyph" box)."""
    for name in FONT_NAMES:
        try:
            font = ImageFont.truetype(name, size)
        except OSError:
            continue
        missing = _glyph(font, "\ue000")
        if all(_glyph(font, letter) != missing for letter in UMLAUTS):
            return font
    return None


def _glyph(font, letter):
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), letter, fill=255, font=font)
    return image.tobytes()


def demo_photo(rng, title):
    """A drawn street scene (houses, trees, a bench) with the title on a band when a font with
    umlauts is available — and without any text otherwise, never with broken letters."""
    width, height = 900, 600
    image = Image.new("RGB", (width, height), SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 400, width, height], fill=GROUND)
    x = 20
    while x < width - 60:
        house_width, house_height = rng.randrange(90, 160), rng.randrange(140, 260)
        colour = rng.choice(PHOTO_COLOURS)
        draw.rectangle([x, 400 - house_height, x + house_width, 400], fill=colour)
        draw.polygon(
            [
                (x - 8, 400 - house_height),
                (x + house_width / 2, 330 - house_height),
                (x + house_width + 8, 400 - house_height),
            ],
            fill=(90, 60, 50),
        )
        for row in range(1, house_height // 60 + 1):
            for column in range(house_width // 45):
                left, top = x + 12 + column * 45, 400 - house_height + row * 55 - 35
                draw.rectangle([left, top, left + 22, top + 26], fill=(250, 240, 200))
        x += house_width + rng.randrange(25, 80)
    for tree_x in rng.sample(range(40, width - 40, 60), 4):
        draw.rectangle([tree_x - 6, 430, tree_x + 6, 500], fill=(92, 64, 51))
        draw.ellipse([tree_x - 45, 360, tree_x + 45, 450], fill=(46, 125, 79))
    draw.rectangle([380, 470, 520, 482], fill=(120, 80, 50))
    draw.rectangle([390, 482, 398, 505], fill=(60, 60, 60))
    draw.rectangle([502, 482, 510, 505], fill=(60, 60, 60))
    font = caption_font()
    if font is not None:
        draw.rectangle([0, height - 70, width, height], fill=(18, 60, 82))
        draw.text((24, height - 56), title, fill=(255, 255, 255), font=font)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
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
    for number, (first, last) in enumerate(NEIGHBOURS, 1):
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


def _schedule(rng, steps, status):
    """Days ago for the contribution: more in recent months (a trend), enough time for its
    answers, and pending ones from the last few days (moderation is quick)."""
    if status == IdeaStatus.PENDING:
        return rng.randrange(1, 6)
    days = int(DAYS * rng.random() ** 1.6)
    return min(DAYS, max(days, 25 * steps + rng.randrange(5, 20)))


def _answer_dates(rng, published, count):
    now = timezone.now()
    span = (now - published).total_seconds()
    dates, start = [], 0.1
    for step in range(count):
        share = start + (1 - start) * (step + rng.uniform(0.4, 0.9)) / count
        dates.append(published + datetime.timedelta(seconds=span * min(share, 0.97)))
    return dates


def _write_outcome(idea, outcome, *, staff, published, rng):
    status, texts = outcome
    if status == IdeaStatus.PENDING:
        return
    if status == IdeaStatus.REJECTED:
        Idea.objects.filter(pk=idea.pk).update(status=status)
        ModerationLog.objects.create(actor=staff, action="reject", idea=idea, note=texts[0])
        return
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.PUBLISHED, published_at=published)
    path = PATHS[status][-len(texts) :] if texts else []
    previous = IdeaStatus.PUBLISHED
    for text, status_to, date in zip(
        texts,
        path or [status] * len(texts),
        _answer_dates(rng, published, len(texts)),
        strict=True,
    ):
        answer = Answer.objects.create(
            idea=idea,
            text=text,
            status_from=previous,
            status_to=status_to,
            author=staff,
            author_role="Quartiersmanagement",
        )
        Answer.objects.filter(pk=answer.pk).update(created_at=date)
        previous = status_to
    Idea.objects.filter(pk=idea.pk).update(status=status)


def _take_part(idea, kind, residents, rng, published):
    """Supports and comments of neighbours, dated after publication."""
    now = timezone.now()
    others = [person for person in residents if person != idea.author]
    for person in rng.sample(others, rng.randrange(0, len(others) + 1)):
        services.support_add(idea=idea, user=person, notify=rng.random() < 0.3)
    Support.objects.filter(idea=idea).update(
        created_at=published + (now - published) * rng.uniform(0.05, 0.9)
    )
    for person in rng.sample(others, rng.choice([0, 0, 1, 1, 2, 3])):
        comment = services.comment_create(idea=idea, user=person, text=rng.choice(COMMENTS[kind]))
        Comment.objects.filter(pk=comment.pk).update(
            created_at=published + (now - published) * rng.uniform(0.05, 0.95)
        )


def load(*, stdout):
    areas = list(Area.objects.current().exclude(boundary__isnull=True).order_by("pk"))
    if not areas:
        stdout.write("participation: keine Gebiete – keine Demo-Beiträge.")
        return
    User = get_user_model()
    staff = (
        User.objects.filter(username="koordination").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if staff is None:
        stdout.write("participation: kein Koordinationskonto – keine Demo-Beiträge.")
        return
    rng = random.Random(4711)
    residents = _residents()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    fallback_topic = next(iter(topics.values()), None)
    if fallback_topic is None:
        return
    has_children = set(
        Area.objects.current().exclude(parent=None).values_list("parent_id", flat=True)
    )
    authors = itertools.cycle(residents)  # bewohnerin first, so her page shows the loop
    created = 0
    counter = 0
    for area in areas:
        for kind, topic_slug, title, text, outcome in SUBJECTS.get(area.slug, GENERIC):
            counter += 1
            if Idea.objects.filter(title=title, area=area).exists():
                continue
            status = outcome[0]
            by_resident = counter % 3 != 0
            # a quarter split into social spaces keeps the contributions about all of it
            location = None if area.pk in has_children else _point_in(area, rng)
            with_photo = kind == "strength" and counter % 2 == 0 or counter % 9 == 0
            idea = services.idea_submit(
                kind=kind,
                title=title,
                text=text,
                topic=topics.get(topic_slug, fallback_topic),
                location=location,
                area=area,
                photo=demo_photo(rng, title) if with_photo else None,
                photo_alt=f"Gezeichnetes Beispielbild: Häuser, Bäume und eine Bank – {title}"
                if with_photo
                else "",
                user=next(authors) if by_resident else None,
                author_name="" if by_resident else "Gast am Infostand",
                channel=Channel.ONLINE
                if by_resident
                else [Channel.MEETING, Channel.PHONE, Channel.PAPER][counter % 3],
                entered_by=None if by_resident else staff,
            )
            days_ago = _schedule(rng, len(outcome[1]), status)
            submitted = timezone.now() - datetime.timedelta(
                days=days_ago, hours=rng.randrange(0, 10)
            )
            published = submitted + datetime.timedelta(days=rng.randrange(1, 4))
            published = min(published, timezone.now() - datetime.timedelta(hours=2))
            Idea.objects.filter(pk=idea.pk).update(created_at=submitted, confirmed_at=submitted)
            _write_outcome(idea, outcome, staff=staff, published=published, rng=rng)
            idea.refresh_from_db()
            if idea.is_public:
                _take_part(idea, kind, residents, rng, published)
            created += 1
    stdout.write(f"participation: {created} Demo-Beiträge angelegt.")
