"""What the mood barometer plugs into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section
from quartier.personal_data import register_personal_data

from . import personal_data, sections


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
