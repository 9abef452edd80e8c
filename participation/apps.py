from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Beteiligung")

    def ready(self):
        """Register located models with the split hook and sections for area pages."""
        from neighbourhoods.registry import register_area_section, register_located
        from quartier.personal_data import register_personal_data

        from . import personal_data_meetings, sections
        from .models import Meeting

        register_located(Meeting, area_field="area", point_field="location")
        register_area_section(
            "next-meetings",
            template_name="participation/meetings/_area_section.html",
            context=sections.next_meetings_context,
            order=30,
        )
        register_personal_data(
            "meetings",
            export=personal_data_meetings.export,
            anonymise=personal_data_meetings.anonymise,
            contributions=personal_data_meetings.contributions,
        )
        register_area_section(
            "mood",
            template_name="participation/feedback/_area_section.html",
            context=sections.mood_context,
            order=60,
        )
