"""The public area section "Was bewegt das Quartier?": the guiding questions answered with
aggregated, non-personal figures — in a fixed number of queries whatever the data size."""

from network.selectors import active_partner_count
from participation.feedback.models import min_answers
from participation.ideas.models import Idea, IdeaKind
from participation.summaries.selectors import mood_quarterly, open_weaknesses
from participation.summaries.selectors import top_topics as top_topics_of

TOP = 3


def area_profile_context(area, area_ids, request):
    """Top topics, most supported strengths, open weaknesses, mood (only with enough answers)
    and active partners of the area page's scope (`area_ids`: the area and its sub-areas, the
    same scope as every other section); None when there is nothing at all to show."""
    ids = area_ids
    ideas = Idea.objects.listed().in_areas(ids)
    top_topics = top_topics_of(ids, TOP)  # the summary rows, not the ideas
    strengths = list(
        ideas.filter(kind=IdeaKind.STRENGTH, support_count__gt=0)
        .order_by("-support_count", "title")
        .values("pk", "title", "support_count")[:TOP]
    )
    weaknesses = open_weaknesses(ids)
    quarters = mood_quarterly(ids)
    mood = quarters[0] if quarters else None
    partners = active_partner_count(ids)
    if not (top_topics or strengths or weaknesses or mood or partners):
        return None
    return {
        "area": area,
        "profile_topics": top_topics,
        "profile_strengths": strengths,
        "profile_open_weaknesses": weaknesses,
        "profile_mood": mood,
        "profile_mood_min_answers": min_answers(),
        "profile_partners": partners,
    }
