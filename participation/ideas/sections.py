"""The ideas section of an area page (neighbourhoods.registry.register_area_section): the latest
ideas, strengths and weaknesses of the area and its sub-areas in one query."""

from .models import Answer, Idea, IdeaKind
from .selectors import idea_cards

LATEST = 5


def area_ideas_context(area, area_ids, request):
    ideas = list(Idea.objects.listed().in_areas(area_ids).for_list().order_by("-created_at")[:60])
    groups = []
    for kind in IdeaKind:
        items = [idea for idea in ideas if idea.kind == kind][:LATEST]
        groups.append({"kind": kind, "label": kind.label, "ideas": items})
    return {"area": area, "idea_groups": groups, "has_ideas": bool(ideas)}


HOME_LATEST = 6
HOME_ANSWERS = 4


def ideas_points(ideas):
    """The located ones among `ideas` as a GeoJSON FeatureCollection for a small map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": idea.location,
                "properties": {
                    "title": idea.title,
                    "url": idea.get_absolute_url(),
                    "summary": f"{idea.get_kind_display()} · {idea.area.name}",
                    "colour": idea.colour,
                },
            }
            for idea in ideas
            if idea.location
        ],
    }


def home_latest_context(request):
    """The newest public contributions, the same cards and order as the list (one query)."""
    ideas = list(Idea.objects.listed().for_list().order_by("-created_at", "-pk")[:HOME_LATEST])
    return {"ideas": ideas, "cards": idea_cards(ideas), "ideas_geojson": ideas_points(ideas)}


def home_answers_context(request):
    """ "Was daraus geworden ist": the newest public answers on listed ideas (one query)."""
    answers = list(
        Answer.objects.filter(idea__in=Idea.objects.listed())
        .select_related("idea", "idea__area")
        .order_by("-created_at", "-pk")[:HOME_ANSWERS]
    )
    return {"answers": answers}
