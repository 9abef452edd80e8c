"""What waits in the offices' requests for the back office's inbox: answers to decide on and
overdue requests, grouped by the idea's area (one query each)."""

from django.urls import reverse
from django.utils.http import urlencode

from participation.ideas.inbox import per_area

from .models import Forwarding


def _link(area_id, state):
    filters = {"stand": state}
    if area_id is not None:
        filters["gebiet"] = area_id
    return f"{reverse('admin:participation_forwarding_changelist')}?{urlencode(filters)}"


def to_decide(area_ids):
    return per_area(
        Forwarding.objects.to_decide().with_subject_area(),
        area_field="subject_area_id",
        since="answered_at",
        area_ids=area_ids,
    )


def to_decide_link(area_id):
    return _link(area_id, "entscheiden")


def overdue(area_ids):
    return per_area(
        Forwarding.objects.overdue().with_subject_area(),
        area_field="subject_area_id",
        since="created_at",  # a datetime like every other row (the inbox sorts by it)
        area_ids=area_ids,
    )


def overdue_link(area_id):
    return _link(area_id, "ueberfaellig")
