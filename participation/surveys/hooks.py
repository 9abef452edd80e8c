"""What surveys plug into other apps; called once from `ParticipationConfig.ready()`."""

from participation.reports.build import register_report_section
from quartier.home import register_home_section
from quartier.purge import register_purge

from . import report, sections
from .services import helper_contacts_purge


def register():
    register_purge(
        "helper-contacts",
        label="helper contact(s) past HELPER_CONTACT_MONTHS",
        purge=helper_contacts_purge,
    )
    register_home_section(
        "running-surveys",
        template_name="participation/surveys/_home_section.html",
        context=sections.home_surveys_context,
        order=45,
    )
    register_report_section("surveys", report.surveys_section)
