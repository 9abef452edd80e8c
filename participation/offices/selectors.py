"""Reads of the offices' requests: responsiveness per office (ideas, fund applications and
surveys alike)."""

import statistics

from django.db.models import Count, Q
from django.utils import timezone

from .models import Forwarding, Office


def responsiveness_per_office(*, area_ids=None, start=None, end=None, today=None):
    """[(office name, requests, answered, median days to answer or None, overdue now)] for the
    requests forwarded in the period about ideas in `area_ids` (None: all). Two queries."""
    today = today or timezone.localdate()
    requests = Forwarding.objects.filter(withdrawn_at__isnull=True)
    if area_ids is not None:
        requests = requests.with_subject_area().filter(subject_area_id__in=area_ids)
    if start is not None:
        requests = requests.filter(created_at__gte=start)
    if end is not None:
        requests = requests.filter(created_at__lt=end)
    counts = {
        row["office_id"]: row
        for row in requests.order_by()
        .values("office_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            overdue=Count("pk", filter=Q(answered_at__isnull=True, deadline__lt=today)),
        )
    }
    days = {}
    for office_id, created, answered in requests.filter(answered_at__isnull=False).values_list(
        "office_id", "created_at", "answered_at"
    ):
        days.setdefault(office_id, []).append((answered - created).total_seconds() / 86400)
    names = dict(Office.objects.filter(pk__in=counts).values_list("pk", "name"))
    rows = []
    for office_id, row in counts.items():
        median = statistics.median(days[office_id]) if days.get(office_id) else None
        rows.append(
            [
                names.get(office_id, ""),
                row["total"],
                row["answered"],
                round(median, 1) if median is not None else None,
                row["overdue"],
            ]
        )
    return sorted(rows, key=lambda row: (-row[1], row[0]))
