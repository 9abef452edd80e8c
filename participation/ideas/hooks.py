"""What ideas plug into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import register_area_section, register_located
from quartier.home import register_home_section
from quartier.personal_data import ContributionsSection, register_personal_data

from . import personal_data, sections
from .models import Idea


def register():
    register_located(Idea, area_field="area", point_field="location")
    register_area_section(
        "ideas",
        template_name="participation/ideas/area_section.html",
        context=sections.area_ideas_context,
        order=20,
        on_retired=True,
    )
    register_home_section(
        "latest-ideas",
        template_name="participation/ideas/_home_latest.html",
        context=sections.home_latest_context,
        order=10,
        wide=True,
    )
    register_home_section(
        "latest-answers",
        template_name="participation/ideas/_home_answers.html",
        context=sections.home_answers_context,
        order=30,
    )
    register_personal_data(
        "ideas",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=[
            ContributionsSection(
                template_name="participation/ideas/_mine_ideas.html",
                context=personal_data.ideas_context,
                order=10,
            ),
            ContributionsSection(
                template_name="participation/ideas/_mine_supports.html",
                context=personal_data.supports_context,
                order=20,
            ),
            ContributionsSection(
                template_name="participation/ideas/_mine_comments.html",
                context=personal_data.comments_context,
                order=30,
            ),
        ],
    )
