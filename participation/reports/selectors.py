"""Every figure of the report, computed in the database.

Each function takes a `Scope` (areas) and a `Period` and runs one query (a few for the
participants), grouping and counting with `annotate`/`Count`/`Avg`/`TruncMonth`/`TruncQuarter`
— never a loop over ideas. Python only reshapes the aggregated rows (one per month, topic or
area), so the number of queries and the rows fetched do not grow with the number of ideas.
"""

import statistics
from collections import Counter

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce, Lower, TruncMonth, TruncQuarter

from participation.feedback.models import MoodAnswer, min_answers
from participation.ideas.models import (
    PUBLIC_STATUSES,
    Answer,
    Comment,
    Idea,
    IdeaKind,
    IdeaStatus,
    Support,
)
from participation.measures.models import Measure, MeasureStatus, MeasureUpdate
from participation.meetings.models import Meeting, Registration

OPEN_STATUSES = (
    IdeaStatus.PENDING,
    IdeaStatus.PUBLISHED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.PLANNED,
)


class Median(Aggregate):
    """PostgreSQL's continuous median (works for numbers and intervals)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _in_scope(queryset, scope, field="area_id"):
    if scope.area_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": scope.area_ids})


def _month_key(value):
    """TruncMonth returns a datetime (or date); key it by the first day of the month."""
    value = value.date() if hasattr(value, "date") and callable(value.date) else value
    return value.replace(day=1)


def _quarter_key(value):
    value = value.date() if hasattr(value, "date") and callable(value.date) else value
    return (value.year, (value.month - 1) // 3 + 1)


def received_ideas(scope, period):
    """Contributions that count: confirmed by their author, not rejected, in the period."""
    ideas = Idea.objects.filter(
        confirmed_at__isnull=False,
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    ).exclude(status=IdeaStatus.REJECTED)
    return _in_scope(ideas, scope)


def public_ideas(scope, period):
    ideas = Idea.objects.public().filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    return _in_scope(ideas, scope)


# --- 1 Topics ---------------------------------------------------------------------------------


def _idea_groups(scope, period):
    """The period's confirmed contributions counted per (month, kind, topic, channel, status):
    one query feeding the per-month, per-topic, per-channel, weakness and funnel tables (at most
    months × 3 × topics × 4 × 7 rows). It reads only a covering index (idea_received_created),
    never the ideas themselves. Rejected contributions are in it for the funnel only: the
    tables use `_received_groups`."""
    key = ("idea-groups", period)
    if key not in scope.cache:
        ideas = _in_scope(
            Idea.objects.filter(
                confirmed_at__isnull=False,
                created_at__gte=period.start_at,
                created_at__lt=period.end_at,
            ),
            scope,
        )
        scope.cache[key] = [
            {**row, "month": _month_key(row["month"])}
            for row in ideas.annotate(month=TruncMonth("created_at"))
            .order_by()
            .values("month", "kind", "topic__name", "topic__order", "channel", "status")
            .annotate(n=Count("pk"))
        ]
    return scope.cache[key]


def _received_groups(scope, period):
    """`_idea_groups` without the rejected contributions (those of `received_ideas`)."""
    return [row for row in _idea_groups(scope, period) if row["status"] != IdeaStatus.REJECTED]


def ideas_per_month_by_kind(scope, period):
    """{month (date): {kind: count}} for every month of the period (zeros included)."""
    result = {month: dict.fromkeys(IdeaKind.values, 0) for month in period.months()}
    for row in _received_groups(scope, period):
        counts = result.setdefault(row["month"], dict.fromkeys(IdeaKind.values, 0))
        counts[row["kind"]] += row["n"]
    return result


def ideas_per_month_by_topic(scope, period):
    """(topic names, {month: {topic name: count}}) — topics present in the period only."""
    result = {month: {} for month in period.months()}
    topics = {}
    for row in _received_groups(scope, period):
        topics[row["topic__name"]] = row["topic__order"]
        counts = result.setdefault(row["month"], {})
        counts[row["topic__name"]] = counts.get(row["topic__name"], 0) + row["n"]
    names = sorted(topics, key=lambda name: (topics[name], name))
    return names, result


def topics_by_kind(scope, period):
    """[{topic__name, idea, strength, weakness, total}] most frequent first."""
    topics = {}
    for row in _received_groups(scope, period):
        entry = topics.setdefault(
            row["topic__name"],
            {"topic__name": row["topic__name"], "order": row["topic__order"], "total": 0}
            | dict.fromkeys(IdeaKind.values, 0),
        )
        entry[row["kind"]] += row["n"]
        entry["total"] += row["n"]
    return sorted(
        topics.values(), key=lambda entry: (-entry["total"], entry["order"], entry["topic__name"])
    )


def top_topics_per_area(scope, period, *, limit=3):
    """[(area name, [(topic, count)])]: the most frequent topics of each area of the scope."""
    rows = (
        received_ideas(scope, period)
        .order_by()
        .values("area_id", "topic__name")
        .annotate(n=Count("pk"))
    )
    grouped = {}
    for row in rows:
        name = scope.group_name(row["area_id"])
        topics = grouped.setdefault(name, {})
        topics[row["topic__name"]] = topics.get(row["topic__name"], 0) + row["n"]
    return [
        (name, sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:limit])
        for name, topics in sorted(grouped.items())
    ]


# --- 2 Identification -------------------------------------------------------------------------


def most_supported_strengths(scope, period, *, limit=10):
    return list(
        public_ideas(scope, period)
        .filter(kind=IdeaKind.STRENGTH)
        .order_by("-support_count", "title", "pk")
        .values("pk", "title", "support_count", "location", "area__name", "topic__name")[:limit]
    )


# --- 3 Life-worlds ----------------------------------------------------------------------------


def participants(scope, period):
    """{"accounts": distinct accounts taking part in any way, "emails": distinct confirmed
    e-mail addresses of contributions without an account}."""
    start, end = period.start_at, period.end_at
    ideas = received_ideas(scope, period)
    emails = (
        ideas.filter(author__isnull=True)
        .exclude(author_email="")
        .annotate(address=Lower("author_email"))
        .order_by()
        .values("address")
        .distinct()
        .count()
    )
    if scope.area_ids is None:
        return {"accounts": _city_participants(start, end), "emails": emails}
    accounts = (
        ideas.filter(author__isnull=False)
        .values("author_id")
        .order_by()
        .union(
            _in_scope(
                Comment.objects.filter(created_at__gte=start, created_at__lt=end),
                scope,
                "idea__area_id",
            )
            .filter(author__isnull=False)
            .order_by()
            .values("author_id"),
            _in_scope(
                Support.objects.filter(created_at__gte=start, created_at__lt=end),
                scope,
                "idea__area_id",
            )
            .filter(user__isnull=False)
            .order_by()
            .values("user_id"),
            _in_scope(
                Registration.objects.active().filter(created_at__gte=start, created_at__lt=end),
                scope,
                "meeting__area_id",
            )
            .filter(user__isnull=False)
            .order_by()
            .values("user_id"),
            _in_scope(MoodAnswer.objects.filter(created_at__gte=start, created_at__lt=end), scope)
            .filter(user__isnull=False)
            .order_by()
            .values("user_id"),
        )
        .order_by()
    )
    return {"accounts": accounts.count(), "emails": emails}


def _city_participants(start, end):
    """Accounts that took part in any way between `start` and `end`, all areas.

    Asked account by account ("a first support in the period? else a first comment? …"), each
    question one probe of an index on (user, created_at) stopping at the first row — the
    cost follows the number of accounts, not the hundreds of thousands of supports and comments
    of a year (a UNION of them all sorted 500,000 ids at 100,000 ideas). A scalar subquery
    (not EXISTS) keeps PostgreSQL from hashing whole periods for the rare non-participants.
    """
    from django.contrib.auth import get_user_model

    def first(queryset, field):
        return Subquery(
            queryset.filter(**{field: OuterRef("pk")}, created_at__gte=start, created_at__lt=end)
            .order_by()
            .values(field)[:1]  # a column of the index: an index-only probe
        )

    ideas = Idea.objects.filter(confirmed_at__isnull=False).exclude(status=IdeaStatus.REJECTED)
    probes = {
        "support": first(Support.objects.all(), "user"),
        "comment": first(Comment.objects.all(), "author"),
        "idea": first(ideas, "author"),
        "registration": first(Registration.objects.active(), "user"),
        "mood": first(MoodAnswer.objects.all(), "user"),
    }
    took_part = Q()
    for name in probes:
        took_part |= Q(**{f"{name}__isnull": False})
    accounts = get_user_model().objects.alias(**probes).filter(took_part)
    if connection.vendor != "postgresql":
        return accounts.count()
    # The planner prices every probe for every account: far above jit_above_cost, and compiling
    # the query would cost more than running it (0.7 s against 0.15 s at 100,000 ideas).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return accounts.count()


def channels(scope, period):
    """{channel: count} of contributions."""
    result = {}
    for row in _received_groups(scope, period):
        result[row["channel"]] = result.get(row["channel"], 0) + row["n"]
    return result


# --- 4 Quality of life ------------------------------------------------------------------------


def weaknesses_by_topic(scope, period):
    """[{topic__name, total, open, realised}] most frequent first."""
    topics = {}
    for row in _received_groups(scope, period):
        if row["kind"] != IdeaKind.WEAKNESS:
            continue
        entry = topics.setdefault(
            row["topic__name"],
            {"topic__name": row["topic__name"], "order": row["topic__order"]}
            | dict.fromkeys(["total", "open", "realised"], 0),
        )
        entry["total"] += row["n"]
        entry["open"] += row["n"] if row["status"] in OPEN_STATUSES else 0
        entry["realised"] += row["n"] if row["status"] == IdeaStatus.REALISED else 0
    return sorted(
        topics.values(), key=lambda entry: (-entry["total"], entry["order"], entry["topic__name"])
    )


def mood_per_quarter(scope, period):
    """[{"quarter": (year, q), "count": n, "average": float | None}] for every quarter-year of
    the period; the average only when at least MOOD_MIN_ANSWERS answered (privacy)."""
    rows = (
        _in_scope(MoodAnswer.objects.all(), scope)
        .filter(month__gte=period.start.replace(day=1), month__lte=period.end)
        .annotate(quarter=TruncQuarter("month"))
        .order_by()
        .values("quarter")
        .annotate(average=Avg("score"), count=Count("pk"))
    )
    found = {_quarter_key(row["quarter"]): row for row in rows}
    threshold = min_answers()
    result = []
    for key in period.quarters():
        row = found.get(key, {"count": 0, "average": None})
        enough = row["count"] >= threshold
        result.append(
            {
                "quarter": key,
                "count": row["count"],
                "average": round(float(row["average"]), 2) if enough else None,
                "enough": enough,
            }
        )
    return result


def realised_per_quarter(scope, period):
    """{(year, q): ideas realised in that quarter-year} over the period: marked realised by an
    answer, or led to a published measure completed then (each idea counts once, in the
    quarter it was first realised). Two queries."""
    answers = Answer.objects.filter(
        status_to=IdeaStatus.REALISED,
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    by_answer = (
        _in_scope(answers, scope, "idea__area_id")
        .annotate(quarter=TruncQuarter("created_at"))
        .order_by()
        .values_list("idea_id", "quarter")
        .distinct()
    )
    completions = MeasureUpdate.objects.filter(
        status=MeasureStatus.COMPLETED,
        measure__is_published=True,
        measure__ideas__isnull=False,
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    by_measure = (
        _in_scope(completions, scope, "measure__ideas__area_id")
        .annotate(quarter=TruncQuarter("created_at"))
        .order_by()
        .values_list("measure__ideas", "quarter")
        .distinct()
    )
    first = {}
    for idea_id, quarter in [*by_answer, *by_measure]:
        key = _quarter_key(quarter)
        if idea_id not in first or key < first[idea_id]:
            first[idea_id] = key
    found = Counter(first.values())
    return {key: found.get(key, 0) for key in period.quarters()}


# --- 5 Cooperation ----------------------------------------------------------------------------


def meetings_per_month(scope, period):
    """{month: {"meetings": n, "people": confirmed people}} of meetings held (not cancelled,
    already over) in the period."""
    from django.utils import timezone

    meetings = _in_scope(
        Meeting.objects.filter(
            starts_at__gte=period.start_at,
            starts_at__lt=period.end_at,
            ends_at__lt=timezone.now(),
        ).exclude(status=Meeting.Status.CANCELLED),
        scope,
    )
    rows = (
        meetings.annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values("month")
        .annotate(
            meetings=Count("pk", distinct=True),
            people=Coalesce(
                Sum(
                    "registrations__people",
                    filter=Q(registrations__status=Registration.Status.CONFIRMED),
                ),
                0,
            ),
        )
    )
    result = {month: {"meetings": 0, "people": 0} for month in period.months()}
    for row in rows:
        result[_month_key(row["month"])] = {"meetings": row["meetings"], "people": row["people"]}
    return result


# --- Responsiveness ---------------------------------------------------------------------------


def responsiveness(scope, period):
    """{"public": n, "answered": n, "median_days": float | None} for public ideas of the period.

    One query: each idea's first answer (a join, grouped), then counted; on PostgreSQL the
    median of the days to the first answer too (`percentile_cont` ignores ideas without an
    answer). Elsewhere only the list of durations is fetched (one more query).
    """
    ideas = public_ideas(scope, period).order_by().annotate(first_answer=Min("answers__created_at"))
    waited = ExpressionWrapper(F("first_answer") - F("created_at"), output_field=DurationField())
    aggregates = {
        "public": Count("pk"),
        "answered": Count("pk", filter=Q(first_answer__isnull=False)),
    }
    if connection.vendor == "postgresql":
        aggregates["median"] = Median(waited, output_field=DurationField())
    figures = ideas.aggregate(**aggregates)
    if connection.vendor == "postgresql":
        duration = figures["median"]
        median = duration.total_seconds() / 86400 if duration is not None else None
    else:
        pairs = ideas.filter(first_answer__isnull=False).values_list("created_at", "first_answer")
        days = [(answer - created).total_seconds() / 86400 for created, answer in pairs]
        median = statistics.median(days) if days else None
    return {
        "public": figures["public"],
        "answered": figures["answered"],
        "median_days": round(median, 1) if median is not None else None,
    }


def status_funnel(scope, period):
    """How far the period's confirmed contributions got: received → published → planned →
    realised (each stage counts those that reached it or went beyond).

    The counts by status come from `_idea_groups`; only the few contributions that led to a
    published measure are read one by one (they count as planned, and as realised once the
    measure is completed, whatever status their own answers gave them)."""
    result = dict.fromkeys(["received", "published", "planned", "realised"], 0)
    for row in _idea_groups(scope, period):
        status, n = row["status"], row["n"]
        result["received"] += n
        result["published"] += n if status in PUBLIC_STATUSES else 0
        result["planned"] += n if status in (IdeaStatus.PLANNED, IdeaStatus.REALISED) else 0
        result["realised"] += n if status == IdeaStatus.REALISED else 0
    links = _in_scope(
        Measure.ideas.through.objects.filter(
            measure__is_published=True,
            idea__confirmed_at__isnull=False,
            idea__created_at__gte=period.start_at,
            idea__created_at__lt=period.end_at,
        ).exclude(measure__status=MeasureStatus.DROPPED),
        scope,
        "idea__area_id",
    ).values_list("idea_id", "idea__status", "measure__status")
    measured = {}  # idea id: (its status, whether one of its measures is completed)
    for idea_id, status, measure_status in links:
        done = measure_status == MeasureStatus.COMPLETED
        measured[idea_id] = (status, done or measured.get(idea_id, (status, False))[1])
    for status, done in measured.values():
        if status not in (IdeaStatus.PLANNED, IdeaStatus.REALISED):
            result["planned"] += 1
        if done and status != IdeaStatus.REALISED:
            result["realised"] += 1
    return result
