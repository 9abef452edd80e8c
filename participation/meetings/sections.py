"""The "next meetings" section of an area page (neighbourhoods.registry.register_area_section)."""

from django.utils import timezone

from .models import Meeting


def next_meetings_context(area, area_ids, request):
    """The area's next meetings incl. sub-areas — one query whatever the number of areas."""
    meetings = list(
        Meeting.objects.in_areas(area_ids)
        .filter(status=Meeting.Status.PLANNED, ends_at__gte=timezone.now())
        .select_related("area")
        .order_by("starts_at", "pk")[:5]
    )
    return {"area": area, "next_meetings": meetings}
