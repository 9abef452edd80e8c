"""What surveys plug into other apps; called once from `ParticipationConfig.ready()`."""

import json

from django.utils.translation import gettext_lazy as _

from neighbourhoods.geojson_io import read_feature_collection
from neighbourhoods.registry import register_area_section, register_split_proposal
from participation.reports.build import register_report_section
from quartier.home import register_home_section
from quartier.purge import register_purge

from . import drawings, report, sections
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
        cache_scopes=("model:participation.survey",),  # running ones: by date
        cache_seconds=60,
    )
    register_report_section("surveys", report.surveys_section)
    register_area_section(
        "reach",
        template_name="participation/surveys/_area_reach.html",
        context=sections.area_reach_context,
        order=65,
        on_retired=True,
        # the self-descriptions (counted per quarter: no area's single write matters alone),
        # their questions and the population figures
        cache_scopes=(
            "model:participation.lifeworldanswer",
            "model:participation.lifeworldchoice",
            "model:participation.lifeworldquestion",
            "model:participation.populationfigure",
            "app:neighbourhoods",
        ),
        area_scoped=False,
    )
    register_split_proposal(
        "mein-quartier",
        label=_("Mein Quartier: wo die Menschen ihr Viertel zeichnen"),
        parts=proposal_parts,
    )


def proposal_parts(area):
    """The proposed boundaries of the people's drawings as the split screen's parts."""
    if area.parent_id is not None or not area.boundary:
        return []
    data = drawings.proposed_boundaries(area)
    if not data["features"]:
        return []
    return read_feature_collection(json.dumps(data))
