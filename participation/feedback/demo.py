"""Demo mood answers: 18 months per current area, with a trend of its own per area (so the
picture per quarter and the reports show change) and varied comments, each with the aspect it
is about; some comments published, some still waiting for staff.

Called from `participation.demo.load`. Idempotent: answers by (area, month, created_at).
Creates nothing without areas.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area
from participation.topics.models import Topic

from .models import MoodAnswer

MONTHS = 18
# (topic slug or None, comment)
COMMENTS = [
    ("nachbarschaft", "Die Nachbarschaft hält zusammen – das ist das Beste hier."),
    ("sicherheit", "Abends am Bahnhof fühle ich mich unwohl, tagsüber ist alles gut."),
    ("gruen-spielen", "Mehr Grün und Bänke wären schön, vor allem für die Älteren."),
    ("nachbarschaft", "Seit das Café aufgemacht hat, treffe ich viel mehr Leute."),
    ("verkehr", "Die Busse fahren abends zu selten, ohne Auto ist man aufgeschmissen."),
    ("sauberkeit", "Die Straßen sind sauberer geworden, seit öfter gereinigt wird."),
    ("wohnen", "Die Mieten steigen, viele Freunde sind schon weggezogen."),
    ("kultur", "Das Sommerfest war toll – davon gern mehr!"),
    ("gruen-spielen", "Der neue Spielplatz ist ein Gewinn für die ganze Straße."),
    ("soziales", "Für Jugendliche gibt es nach der Schule zu wenig."),
    ("verkehr", "Endlich ein Zebrastreifen an der Schule, danke!"),
    ("sicherheit", "Die neuen Lampen im Park machen einen großen Unterschied."),
    ("wohnen", "Ich wohne seit 30 Jahren hier und möchte nirgendwo anders hin."),
    (None, "Es wird besser, aber langsam."),
    ("soziales", "Das Sprachcafé hat mir sehr geholfen, hier anzukommen."),
    ("sauberkeit", "Am Wochenende liegt überall Müll."),
]
# Typical scores per area: a base and a change per month (a trend the reports can show).
TRENDS = {
    "innenstadt": (3.4, 0.02),
    "nordstadt": (3.0, 0.035),
    "suedstadt": (3.6, -0.01),
    "suedstadt-am-park": (3.9, 0.01),
    "suedstadt-bahnhofsviertel": (2.8, 0.04),
    "suedstadt-am-hafen": (3.7, -0.02),
}


def _score(rng, base, slope, months_ago):
    mean = base + slope * (MONTHS - months_ago)
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def load(*, stdout):
    areas = list(Area.objects.current().order_by("pk"))
    # retired areas keep the answers given while they existed: their pages show history
    retired = list(
        Area.objects.exclude(valid_until=None).exclude(pk__in=[a.pk for a in areas]).order_by("pk")
    )
    if not areas:
        stdout.write("Stimmungsbarometer: keine Gebiete, keine Demo-Antworten.")
        return
    today = timezone.localdate()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    created = 0
    for area in areas + retired:
        base, slope = TRENDS.get(area.slug, (3.5, 0.0))
        month = today.replace(day=1)
        for months_ago in range(MONTHS):
            if months_ago:
                month = (month - datetime.timedelta(days=1)).replace(day=1)
            if month < area.valid_from or (area.valid_until and month >= area.valid_until):
                continue
            # The same answers for an area and month on every run, whatever the day it runs.
            rng = random.Random(f"{area.slug}-{month:%Y-%m}")
            for index in range(rng.randint(2, 3)):  # enough for a figure per quarter-year
                created_at = timezone.make_aware(
                    datetime.datetime.combine(month, datetime.time(9 + index * 3, 15))
                ) + datetime.timedelta(days=min(index * 7 + rng.randrange(0, 5), 27))
                slug, comment = rng.choice(COMMENTS) if rng.random() < 0.35 else (None, "")
                aspect = topics.get(slug) if slug else None
                if not comment and topics and rng.random() < 0.4:
                    aspect = topics[rng.choice(sorted(topics))]
                score = _score(rng, base, slope, months_ago)
                if created_at > timezone.now():
                    continue
                if MoodAnswer.objects.filter(
                    area=area, month=month, created_at=created_at
                ).exists():
                    continue
                status = MoodAnswer.CommentStatus.NONE
                if comment:
                    status = (
                        MoodAnswer.CommentStatus.PENDING
                        if months_ago == 0 and index == 0
                        else MoodAnswer.CommentStatus.PUBLISHED
                    )
                MoodAnswer.objects.create(
                    area=area,
                    month=month,
                    created_at=created_at,
                    score=score,
                    aspect=aspect,
                    comment=comment,
                    comment_status=status,
                )
                created += 1
    _resident_answers(areas[0], today)
    stdout.write(f"Stimmungsbarometer: {created} Demo-Antworten in {len(areas)} Gebieten.")


def _resident_answers(area, today):
    """`bewohnerin` answered last month (so she may answer again this month)."""
    resident = get_user_model().objects.filter(username="bewohnerin").first()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if resident is None or MoodAnswer.objects.filter(user=resident).exists():
        return
    MoodAnswer.objects.create(
        area=area,
        user=resident,
        month=last_month,
        score=4,
        comment="Seit es den Wochenmarkt wieder gibt, ist mehr los.",
        comment_status=MoodAnswer.CommentStatus.PUBLISHED,
    )
