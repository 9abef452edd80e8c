"""What the mood barometer plugs into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row
from quartier.personal_data import register_personal_data

from . import inbox, personal_data, sections


def register():
    register_area_section(
        "mood",
        template_name="participation/feedback/_area_section.html",
        context=sections.mood_context,
        order=60,
    )
    register_personal_data(
        "feedback", export=personal_data.export, anonymise=personal_data.anonymise
    )
    register_inbox_row(
        "mood-comments",
        label=_("Stimmungs-Kommentare zu prüfen"),
        waiting=inbox.comments_pending,
        link=inbox.comments_pending_link,
        order=40,
    )
