from neighbourhoods.models import area_geometry

from .models import Measure, MeasureStatus

AREA_MEASURES = 6


def area_measures_context(area, area_ids, request):
    """The area's published measures (with sub-areas), running ones first; one query."""
    measures = list(
        Measure.objects.published()
        .in_areas(area_ids)
        .exclude(status=MeasureStatus.DROPPED)
        .select_related("area")
        .defer(*area_geometry("area"))
        .order_by("status", "-updated_at")[:AREA_MEASURES]
    )
    return {"area": area, "area_measures": measures}
