"""Reads of the summary rows: the same figures as counting the ideas and answers themselves,
from a few rows per area whatever the number of ideas and answers."""

import datetime

from django.db.models import Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from participation.feedback.models import min_answers
from participation.ideas.models import IdeaKind, IdeaStatus

from .models import AreaIdeaCount, AreaMoodCount

CLOSED = [IdeaStatus.REALISED, IdeaStatus.NOT_FEASIBLE]


def top_topics(area_ids, limit):
    """[{topic__name, n}] of the listed ideas of `area_ids`, most frequent first."""
    return list(
        AreaIdeaCount.objects.filter(area_id__in=area_ids, count__gt=0)
        .values("topic__name")
        .annotate(n=Sum("count"))
        .order_by("-n", "topic__name")[:limit]
    )


def open_weaknesses(area_ids):
    """How many listed weaknesses of `area_ids` are neither realised nor found not feasible."""
    found = (
        AreaIdeaCount.objects.filter(area_id__in=area_ids, kind=IdeaKind.WEAKNESS, count__gt=0)
        .exclude(status__in=CLOSED)
        .aggregate(n=Sum("count"))
    )
    return found["n"] or 0


def mood_by_quarter(months):
    """`months` (AreaMoodCount rows) per year and quarter-year: total and count."""
    return months.annotate(year=ExtractYear("month"), quarter=ExtractQuarter("month")).values(
        "year", "quarter"
    )


def mood_quarterly(area_ids, *, since=None):
    """What `MoodAnswer.objects.in_areas(area_ids).quarterly(since=…)` answers, from the
    summary rows: [{year, quarter, average, count}] with enough answers, newest first."""
    since = since or (timezone.localdate().replace(day=1) - datetime.timedelta(days=730))
    rows = list(
        mood_by_quarter(
            AreaMoodCount.objects.filter(area_id__in=area_ids, month__gte=since, count__gt=0)
        )
        .annotate(total=Sum("total"), count=Sum("count"))
        .filter(count__gte=min_answers())
        .order_by("-year", "-quarter")
    )
    for row in rows:
        row["average"] = row.pop("total") / row["count"]
    return rows


def mood_per_area(since):
    """[{area_id, year, quarter, total, count}] since `since` for every area (mood_figures)."""
    return (
        AreaMoodCount.objects.filter(month__gte=since, count__gt=0)
        .annotate(year=ExtractYear("month"), quarter=ExtractQuarter("month"))
        .values("area_id", "year", "quarter")
        .annotate(total=Sum("total"), count=Sum("count"))
        .order_by()
    )
