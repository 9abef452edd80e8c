"""The public area section "Was bewegt das Quartier?": the guiding questions answered with
aggregated, non-personal figures — in a fixed number of queries whatever the data size."""

from django.db.models import Count

from neighbourhoods.selectors import area_tree
from network.selectors import active_partner_count
from participation.feedback.models import MoodAnswer, min_answers
from participation.ideas.models import Idea, IdeaKind, IdeaStatus

TOP = 3


def area_profile_context(area, area_ids, request):
    """Top topics, most supported strengths, open weaknesses, mood (only with enough answers)
    and active partners of the area, its sub-areas and successors; None when there is
    nothing at all to show."""
    ids = area_tree().descendant_ids(area, with_successors=True) | set(area_ids)
    ideas = Idea.objects.public().in_areas(ids)
    top_topics = list(
        ideas.order_by()
        .values("topic__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name")[:TOP]
    )
    strengths = list(
        ideas.filter(kind=IdeaKind.STRENGTH, support_count__gt=0)
        .order_by("-support_count", "title")
        .values("pk", "title", "support_count")[:TOP]
    )
    open_weaknesses = (
        ideas.filter(kind=IdeaKind.WEAKNESS)
        .exclude(status__in=[IdeaStatus.REALISED, IdeaStatus.NOT_FEASIBLE])
        .count()
    )
    quarters = MoodAnswer.objects.in_areas(ids).quarterly()
    mood = quarters[0] if quarters else None
    partners = active_partner_count(ids)
    if not (top_topics or strengths or open_weaknesses or mood or partners):
        return None
    return {
        "area": area,
        "profile_topics": top_topics,
        "profile_strengths": strengths,
        "profile_open_weaknesses": open_weaknesses,
        "profile_mood": mood,
        "profile_mood_min_answers": min_answers(),
        "profile_partners": partners,
    }
