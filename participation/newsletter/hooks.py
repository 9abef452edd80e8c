"""What the Quartiersbrief plugs into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section

from . import sections


def register():
    register_area_section(
        "newsletters",
        template_name="participation/newsletter/_area_section.html",
        context=sections.area_newsletters_context,
        order=80,
        # letters to an area above or to the whole city: their own model's scope
        cache_scopes=("model:participation.newsletter", "app:neighbourhoods"),
        area_scoped=False,
    )
