"""What meetings show on other pages: the next meetings of an area page
(neighbourhoods.registry), of the home page (quartier.home), and the meetings a partner
organises on its page (network.registry)."""

from django.utils import timezone

from neighbourhoods.models import area_geometry

from .models import Meeting

AREA_MEETINGS = 5
HOME_MEETINGS = 4


def upcoming_meetings(area_ids=None, *, limit):
    """Planned meetings that have not ended, soonest first, with their places counted (one
    query whatever the number of areas)."""
    meetings = Meeting.objects.public().filter(
        status=Meeting.Status.PLANNED, ends_at__gte=timezone.now()
    )
    if area_ids is not None:
        meetings = meetings.in_areas(area_ids)
    return list(
        meetings.select_related("area")
        .defer(*area_geometry("area"))
        .with_counts()
        .order_by("starts_at", "pk")[:limit]
    )


def next_meetings_context(area, area_ids, request):
    """The area's next meetings incl. sub-areas."""
    return {"area": area, "next_meetings": upcoming_meetings(area_ids, limit=AREA_MEETINGS)}


def home_meetings_context(request):
    return {"next_meetings": upcoming_meetings(limit=HOME_MEETINGS)}


def partner_meetings_context(partner, request):
    """The meetings `partner` organises, newest first (one query)."""
    meetings = list(Meeting.objects.filter(organiser_partner=partner).order_by("-starts_at")[:20])
    return {"partner": partner, "meetings": meetings}
