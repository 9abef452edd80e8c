"""What measures plug into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section, register_located

from . import sections
from .models import Measure


def register():
    register_located(Measure, area_field="area", point_field="location")
    register_area_section(
        "measures",
        template_name="participation/measures/_area_section.html",
        context=sections.area_measures_context,
        order=25,
        # a measure has an area: its writes bump the page's area scopes
        cache_scopes=("model:participation.measure", "app:neighbourhoods"),
        area_scoped=False,
    )
