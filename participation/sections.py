"""The section on area pages: latest ideas, strengths and weaknesses of an area and its
sub-areas, in a fixed number of queries."""

from .models import Idea, IdeaKind

LATEST = 5


def area_ideas_context(area, area_ids, request):
    ideas = list(Idea.objects.public().in_areas(area_ids).for_list().order_by("-created_at")[:60])
    groups = []
    for kind in IdeaKind:
        items = [idea for idea in ideas if idea.kind == kind][:LATEST]
        groups.append({"kind": kind, "label": kind.label, "ideas": items})
    return {"area": area, "idea_groups": groups, "has_ideas": bool(ideas)}
