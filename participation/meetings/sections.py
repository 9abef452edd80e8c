"""Sections meetings add to other apps' pages: the next meetings on an area page
(neighbourhoods.registry) and the meetings a partner organises on its page (network.registry)."""

from django.utils import timezone

from neighbourhoods.models import area_geometry

from .models import Meeting


def next_meetings_context(area, area_ids, request):
    """The area's next meetings incl. sub-areas — one query whatever the number of areas."""
    meetings = list(
        Meeting.objects.in_areas(area_ids)
        .filter(status=Meeting.Status.PLANNED, ends_at__gte=timezone.now())
        .select_related("area")
        .defer(*area_geometry("area"))
        .order_by("starts_at", "pk")[:5]
    )
    return {"area": area, "next_meetings": meetings}


def partner_meetings_context(partner, request):
    """The meetings `partner` organises, newest first (one query)."""
    meetings = list(Meeting.objects.filter(organiser_partner=partner).order_by("-starts_at")[:20])
    return {"partner": partner, "meetings": meetings}
