"""The mood section of an area page (neighbourhoods.registry.register_area_section)."""

from ..summaries.selectors import mood_quarterly
from .models import MoodAnswer, min_answers


def mood_context(area, area_ids, request):
    """Averages per quarter-year only where enough answers exist; published comments."""
    answers = MoodAnswer.objects.in_areas(area_ids)
    return {
        "area": area,
        "mood_quarters": mood_quarterly(area_ids),
        "mood_min_answers": min_answers(),
        "mood_comments": list(answers.published_comments().select_related("aspect")[:5]),
    }
