"""The ideas section of an area page (neighbourhoods.registry.register_area_section): the latest
ideas, strengths and weaknesses of the area and its sub-areas in one query."""

from .models import Idea, IdeaKind

LATEST = 5


def area_ideas_context(area, area_ids, request):
    ideas = list(Idea.objects.listed().in_areas(area_ids).for_list().order_by("-created_at")[:60])
    groups = []
    for kind in IdeaKind:
        items = [idea for idea in ideas if idea.kind == kind][:LATEST]
        groups.append({"kind": kind, "label": kind.label, "ideas": items})
    return {"area": area, "idea_groups": groups, "has_ideas": bool(ideas)}
