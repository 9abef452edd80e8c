from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Beteiligung")

    def ready(self):
        """Register with the split hook, the area pages and the personal data registry."""
        from neighbourhoods.registry import on_split, register_area_section, register_located
        from quartier.personal_data import register_personal_data

        from . import personal_data, personal_data_meetings, personal_data_subscriptions, sections
        from .models import Idea, Meeting
        from .reports import profile

        register_located(Idea, area_field="area", point_field="location")
        register_located(Meeting, area_field="area", point_field="location")
        register_area_section(
            "ideas",
            template_name="participation/ideas/area_section.html",
            context=sections.area_ideas_context,
            order=20,
        )
        register_personal_data(
            "ideas",
            export=personal_data.export,
            anonymise=personal_data.anonymise,
            contributions=personal_data.contributions,
        )

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
        from .services.subscriptions import followers_follow_successors

        register_area_section(
            "follow",
            template_name="participation/subscriptions/_area_section.html",
            context=sections.follow_context,
            order=5,
        )
        on_split(followers_follow_successors)
        register_personal_data(
            "subscriptions",
            export=personal_data_subscriptions.export,
            anonymise=personal_data_subscriptions.anonymise,
        )
        register_area_section(
            "profile",
            template_name="participation/reports/_area_profile.html",
            context=profile.area_profile_context,
            order=10,
        )
