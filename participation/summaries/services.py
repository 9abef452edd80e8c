"""Keeping the summary rows equal to the rows they count.

Why rebuild one area rather than add and subtract with F(): an idea's row in the summary
depends on five of its fields at once (listed or not, area, kind, topic, status), and they
change through many paths (moderation, status answers, hiding, merging duplicates, splits,
deletes, updates without signals). Counting one area's rows again is exact by construction —
no drift to repair — and costs one aggregate over that area's ideas, on writes that change
what is listed (supports and comments don't: they update counters only).

Race safety on PostgreSQL: the rebuild first takes a transaction-scoped advisory lock for the
area, so two transactions writing in one area rebuild one after the other; under READ
COMMITTED the second one's counting statement starts after the first committed and sees its
rows. SQLite serialises writers anyway.
"""

import logging

from django.db import connection, transaction
from django.db.models import Count, Sum

from participation.feedback.models import MoodAnswer
from participation.ideas.models import Idea
from quartier import fragments
from quartier.pagecache import content_changed

from .models import AreaIdeaCount, AreaMoodCount

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 4711  # pg_advisory_xact_lock(namespace, area id)


def _lock(area_ids):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk in sorted(area_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, pk])


def _zero(model, area_ids):
    """Rows that count nothing any more stay, with 0 (readers skip them): an update and an
    upsert send no signals — a delete would send one per row (the fragment versions)."""
    model.objects.filter(area_id__in=area_ids).update(count=0)


def _ideas_refresh(area_ids):
    rows = (
        Idea.objects.listed()
        .filter(area_id__in=area_ids)
        .order_by()
        .values("area_id", "kind", "topic_id", "status")
        .annotate(n=Count("pk"))
    )
    _zero(AreaIdeaCount, area_ids)
    AreaIdeaCount.objects.bulk_create(
        [
            AreaIdeaCount(
                area_id=row["area_id"],
                kind=row["kind"],
                topic_id=row["topic_id"],
                status=row["status"],
                count=row["n"],
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["area", "kind", "topic", "status"],
        update_fields=["count"],
    )


def _mood_refresh(area_ids):
    rows = (
        MoodAnswer.objects.filter(area_id__in=area_ids)
        .order_by()
        .values("area_id", "month")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    _zero(AreaMoodCount, area_ids)
    AreaMoodCount.objects.bulk_create(
        [
            AreaMoodCount(
                area_id=row["area_id"], month=row["month"], count=row["n"], total=row["total"]
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["area", "month"],
        update_fields=["count", "total"],
    )


def area_summaries_refresh(*, area_ids, ideas=True, mood=True):
    """Count the ideas and/or mood answers of `area_ids` again, in the caller's transaction."""
    area_ids = sorted({pk for pk in area_ids if pk is not None})
    if not area_ids:
        return
    with transaction.atomic():
        _lock(area_ids)
        if ideas:
            _ideas_refresh(area_ids)
        if mood:
            _mood_refresh(area_ids)
        # upserts send no signals: the pages and fragments that read these rows are stale now
        pairs = ((AreaIdeaCount, ideas), (AreaMoodCount, mood))
        refreshed = [model for model, done in pairs if done]
        content_changed(tables=[model._meta.db_table for model in refreshed])
        for model in refreshed:
            fragments.area_rows_changed(area_ids, model)


def summaries_rebuild():
    """Every summary row again from the rows (`manage.py rebuild_summaries`, seed_bench)."""
    from neighbourhoods.models import Area

    with transaction.atomic():
        area_ids = list(Area.objects.values_list("pk", flat=True))
        _lock(area_ids)
        _ideas_refresh(area_ids)
        _mood_refresh(area_ids)
        content_changed(tables=[AreaIdeaCount._meta.db_table, AreaMoodCount._meta.db_table])
    return (
        AreaIdeaCount.objects.filter(count__gt=0).count(),
        AreaMoodCount.objects.filter(count__gt=0).count(),
    )
