"""What funds show on an area page: the area's open funds and the projects funded in it."""

from django.db.models import Q

from neighbourhoods.models import area_geometry
from neighbourhoods.selectors import area_tree

from .models import Fund, FundApplication

AREA_PROJECTS = 5


def area_funds_context(area, area_ids, request):
    """Open funds of the area or of an area above it (a quarter's fund serves its social
    spaces), and the latest funded projects in the area — two queries."""
    above = area_tree().ancestor_ids(area, with_predecessors=False)
    funds = list(
        Fund.objects.open()
        .filter(Q(area_id__in=area_ids) | Q(area_id__in=above))
        .with_money()
        .select_related("area")
        .defer(*area_geometry("area"))
        .order_by("name")
    )
    projects = list(
        FundApplication.objects.funded()
        .filter(area_id__in=area_ids)
        .order_by("-starts_on", "-pk")[:AREA_PROJECTS]
    )
    if not funds and not projects:
        return None
    return {"area": area, "funds": funds, "projects": projects}
