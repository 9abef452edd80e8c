"""What the mood barometer plugs into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row, register_split_count
from quartier.personal_data import ContributionsSection, register_personal_data

from . import inbox, personal_data, sections


def mood_answers_stay(*, old_area, new_areas, retires):
    """Split and retire previews: mood answers are never moved; they stay the former area's
    measurement (shown on its history page)."""
    from .models import MoodAnswer

    return {None: MoodAnswer.objects.filter(area=old_area).count()}


def register():
    register_split_count(
        "mood-answers", label=_("Antworten Stimmungsbarometer"), count=mood_answers_stay, order=60
    )
    register_area_section(
        "mood",
        template_name="participation/feedback/_area_section.html",
        context=sections.mood_context,
        order=60,
        on_retired=True,
        cache_scopes=("model:participation.topic", "app:neighbourhoods"),
        # the area's mood answers and their monthly counts
        area_models=("participation.moodanswer", "participation.areamoodcount"),
    )
    register_personal_data(
        "feedback",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=ContributionsSection(
            template_name="participation/feedback/_mine.html",
            slug="stimmung",
            items=personal_data.mood_answers,
            context=personal_data.mood_context,
            order=50,
        ),
    )
    register_inbox_row(
        "mood-comments",
        label=_("Stimmungs-Kommentare zu prüfen"),
        waiting=inbox.comments_pending,
        link=inbox.comments_pending_link,
        order=40,
    )
