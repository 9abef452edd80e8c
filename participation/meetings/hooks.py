"""What meetings plug into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row, register_located
from network.registry import register_partner_section
from quartier.home import register_home_section
from quartier.personal_data import ContributionsSection, register_personal_data

from . import inbox, personal_data, sections
from .models import Meeting


def register():
    register_located(Meeting, area_field="area", point_field="location")
    register_area_section(
        "next-meetings",
        template_name="participation/meetings/_next_meetings.html",
        context=sections.next_meetings_context,
        order=30,
        # "upcoming" moves on by itself: kept no longer than the page cache keeps a page
        cache_scopes=("app:network", "app:neighbourhoods"),
        cache_seconds=60,
        # the area's meetings and registrations (a comment or a support there leaves it kept)
        area_models=("participation.meeting", "participation.registration"),
    )
    register_partner_section(
        "meetings",
        template_name="participation/meetings/_partner_section.html",
        context=sections.partner_meetings_context,
        order=50,
    )
    register_home_section(
        "next-meetings",
        template_name="participation/meetings/_next_meetings.html",
        context=sections.home_meetings_context,
        order=20,
        # "upcoming" moves on by itself: kept no longer than the page cache keeps a page
        cache_scopes=(
            "model:participation.meeting",
            "model:participation.registration",
            "app:network",
            "app:neighbourhoods",
        ),
        cache_seconds=60,
    )
    register_personal_data(
        "meetings",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=ContributionsSection(
            template_name="participation/meetings/_mine.html",
            slug="treffen",
            items=personal_data.registrations,
            context=personal_data.registrations_context,
            order=40,
        ),
    )
    register_inbox_row(
        "meetings-week",
        label=_("Treffen diese Woche"),
        waiting=inbox.week,
        link=inbox.week_link,
        details=inbox.week_details,
        order=60,
        since_label=_("das erste am"),
    )
