"""What ideas plug into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section, register_located
from quartier.personal_data import register_personal_data
from quartier.purge import register_purge

from . import personal_data, sections
from .models import Idea
from .services import ideas_purge_unconfirmed


def register():
    register_located(Idea, area_field="area", point_field="location")
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
    register_purge("ideas", label="unconfirmed idea(s)", purge=ideas_purge_unconfirmed)
