"""What the mood barometer plugs into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row
from quartier.personal_data import ContributionsSection, register_personal_data

from . import inbox, personal_data, sections


def register():
    register_area_section(
        "mood",
        template_name="participation/feedback/_area_section.html",
        context=sections.mood_context,
        order=60,
        on_retired=True,
        cache_scopes=("model:participation.topic", "app:neighbourhoods"),
    )
    register_personal_data(
        "feedback",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=ContributionsSection(
            template_name="participation/feedback/_mine.html",
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
