"""What the reports plug into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section

from . import profile


def register():
    register_area_section(
        "profile",
        template_name="participation/reports/_area_profile.html",
        context=profile.area_profile_context,
        order=10,
        on_retired=True,
        cache_scopes=("model:participation.topic", "app:network", "app:neighbourhoods"),
        # ideas (strengths by their supports), mood answers and the summary rows of both
        area_models=(
            "participation.idea",
            "participation.support",
            "participation.moodanswer",
            "participation.areaideacount",
            "participation.areamoodcount",
        ),
    )
