"""Demo mood answers: twelve months per current area, some with a comment.

Called from `participation.demo.load`. Idempotent: answers by (area, month, created_at).
Creates nothing without areas.
"""

import datetime
import random

from django.utils import timezone

from neighbourhoods.models import Area
from participation.topics.models import Topic

from .models import MoodAnswer

COMMENTS = [
    "Die Nachbarschaft hält zusammen, aber abends ist es am Bahnhof unangenehm.",
    "Mehr Grün und Bänke wären schön.",
    "Seit das Café aufgemacht hat, treffe ich viel mehr Leute.",
    "",
    "",
    "",
]


def load(*, stdout):
    areas = list(Area.objects.current())
    if not areas:
        stdout.write("Stimmungsbarometer: keine Gebiete, keine Demo-Antworten.")
        return
    today = timezone.localdate()
    topics = list(Topic.objects.all())
    rng = random.Random(42)  # the same demo every time
    for area in areas:
        for months_ago in range(12):
            month = (today.replace(day=1) - datetime.timedelta(days=months_ago * 30)).replace(day=1)
            for index in range(rng.randint(1, 4) if months_ago % 3 else rng.randint(3, 6)):
                created = timezone.make_aware(
                    datetime.datetime.combine(month, datetime.time(9 + index, 0))
                ) + datetime.timedelta(days=index)
                comment = rng.choice(COMMENTS)
                MoodAnswer.objects.get_or_create(
                    area=area,
                    month=month,
                    created_at=created,
                    defaults={
                        "score": rng.choice([2, 3, 3, 4, 4, 4, 5, 5]),
                        "aspect": rng.choice(topics) if topics and rng.random() < 0.6 else None,
                        "comment": comment,
                        "comment_status": (
                            MoodAnswer.CommentStatus.PUBLISHED
                            if comment and index % 2 == 0
                            else MoodAnswer.CommentStatus.PENDING
                            if comment
                            else MoodAnswer.CommentStatus.NONE
                        ),
                    },
                )
    stdout.write(f"Stimmungsbarometer: {len(areas)} Gebiete mit Demo-Antworten.")
