"""What surveys show on other pages: the running surveys on the home page (one query); on a
quarter's page who is reached (the Lebenswelten self-descriptions) and its population."""

from django.db.models import Sum

from .lifeworlds import reach_rows
from .models import PopulationFigure, Survey, min_answers

HOME_SURVEYS = 3


def home_surveys_context(request):
    surveys = list(Survey.objects.running().order_by("ends_on", "pk")[:HOME_SURVEYS])
    return {"running_surveys": surveys} if surveys else None


def area_reach_context(area, area_ids, request):
    """A quarter's page: the self-descriptions beside the population figures. Only quarters —
    the unit of the threshold (see `lifeworlds.reach_rows`) — so no two pages differ by a
    small group."""
    if area.parent_id is not None:
        return None
    reach = reach_rows({area.pk})
    figures = list(
        PopulationFigure.objects.filter(area_id__in=area_ids)
        .values("group")
        .annotate(count=Sum("count"))
        .order_by("group")
        .values_list("group", "count")
    )
    if not reach and not figures:
        return None
    return {
        "area": area,
        "reach": reach,
        "population": figures,
        "reach_minimum": min_answers(),
    }
