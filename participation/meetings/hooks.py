"""What meetings plug into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section, register_located
from quartier.personal_data import register_personal_data

from . import personal_data, sections
from .models import Meeting


def register():
    register_located(Meeting, area_field="area", point_field="location")
    register_area_section(
        "next-meetings",
        template_name="participation/meetings/_area_section.html",
        context=sections.next_meetings_context,
        order=30,
    )
    register_personal_data(
        "meetings",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=personal_data.contributions,
    )
