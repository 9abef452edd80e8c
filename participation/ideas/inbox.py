"""What waits in the ideas for the back office's inbox (neighbourhoods.inbox): one query each,
grouped by area; the links open the idea or comment list with the same filter."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.http import urlencode

from .models import Flag, Idea, IdeaStatus


def per_area(queryset, *, area_field="area_id", count="pk", since="created_at", area_ids=None):
    """{area_id: (count, oldest)} of `queryset` in `area_ids` (None = all areas), one query."""
    if area_ids is not None:
        queryset = queryset.filter(**{f"{area_field}__in": area_ids})
    rows = (
        queryset.order_by()
        .values(area_field)
        .annotate(count=Count(count, distinct=True), since=Min(since))
    )
    return {row[area_field]: (row["count"], row["since"]) for row in rows}


def changelist(model, area_id, **filters):
    """The admin list of `model` filtered like the inbox row, in one area."""
    if area_id is not None:
        filters["gebiet"] = area_id
    url = reverse(f"admin:participation_{model}_changelist")
    return f"{url}?{urlencode(filters)}"


def pending(area_ids):
    return per_area(Idea.objects.awaiting_moderation(), area_ids=area_ids)


def pending_link(area_id):
    return changelist("idea", area_id, status__exact=IdeaStatus.PENDING)


def reported_ideas(area_ids):
    flags = Flag.objects.open().filter(comment__isnull=True, idea__confirmed_at__isnull=False)
    return per_area(flags, area_field="idea__area_id", count="idea_id", area_ids=area_ids)


def reported_ideas_link(area_id):
    return changelist("idea", area_id, gemeldet="offen")


def reported_comments(area_ids):
    flags = Flag.objects.open().filter(comment__isnull=False, idea__confirmed_at__isnull=False)
    return per_area(flags, area_field="idea__area_id", count="comment_id", area_ids=area_ids)


def reported_comments_link(area_id):
    return changelist("comment", area_id, gemeldet="offen")


def answer_due(area_ids):
    return per_area(Idea.objects.answer_due(), since="published_at", area_ids=area_ids)


def answer_due_link(area_id):
    return changelist("idea", area_id, antwort="ueberfaellig")
