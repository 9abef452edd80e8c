from django.db.models import Q

from neighbourhoods.selectors import area_tree

from .models import Newsletter

AREA_NEWSLETTERS = 5


def area_newsletters_context(area, area_ids, request):
    """The archive on the area page: letters sent to this area, an area above it, or the city.
    One query."""
    above = area_tree().ancestor_ids(area.pk, with_predecessors=True)
    letters = list(
        Newsletter.objects.sent()
        .filter(Q(area_id__in=above) | Q(area__isnull=True))
        .only("pk", "subject", "sent_at")
        .order_by("-sent_at")[:AREA_NEWSLETTERS]
    )
    return {"area": area, "area_newsletters": letters}
