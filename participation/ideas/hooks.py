"""What ideas plug into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row, register_located
from quartier.home import register_home_section
from quartier.personal_data import ContributionsSection, register_personal_data
from quartier.purge import register_purge

from . import inbox, personal_data, sections
from .models import Idea
from .services import ideas_purge_unconfirmed

# what changes the ideas section of an area page: the area's ideas, their supports and comments
# (counted on the cards), answers, and the moderation log's entries (a comment hidden with
# an update)
SECTION_MODELS = (
    "participation.idea",
    "participation.support",
    "participation.comment",
    "participation.answer",
    "participation.moderationlog",
)


def register():
    register_located(Idea, area_field="area", point_field="location")
    register_area_section(
        "ideas",
        template_name="participation/ideas/area_section.html",
        context=sections.area_ideas_context,
        order=20,
        on_retired=True,
        cache_scopes=("model:participation.topic", "app:neighbourhoods"),
        # the area's ideas and what their cards count and say (not its meetings or mood)
        area_models=SECTION_MODELS,
    )
    register_home_section(
        "latest-ideas",
        template_name="participation/ideas/_home_latest.html",
        context=sections.home_latest_context,
        order=10,
        wide=True,
        # the cards show support and comment counts; area and topic names
        cache_scopes=(
            "model:participation.idea",
            "model:participation.support",
            "model:participation.comment",
            "model:participation.moderationlog",
            "model:participation.topic",
            "app:neighbourhoods",
        ),
    )
    register_home_section(
        "latest-answers",
        template_name="participation/ideas/_home_answers.html",
        context=sections.home_answers_context,
        order=30,
        cache_scopes=(
            "model:participation.answer",
            "model:participation.idea",
            "app:neighbourhoods",
        ),
    )
    register_personal_data(
        "ideas",
        export=personal_data.export,
        anonymise=personal_data.anonymise,
        contributions=[
            ContributionsSection(
                template_name="participation/ideas/_mine_ideas.html",
                slug="ideen",
                items=personal_data.ideas,
                context=personal_data.ideas_context,
                order=10,
            ),
            ContributionsSection(
                template_name="participation/ideas/_mine_supports.html",
                slug="unterstuetzt",
                items=personal_data.supports,
                context=personal_data.supports_context,
                order=20,
            ),
            ContributionsSection(
                template_name="participation/ideas/_mine_comments.html",
                slug="kommentare",
                items=personal_data.comments,
                context=personal_data.comments_context,
                order=30,
            ),
        ],
    )
    register_inbox_row(
        "ideas-pending",
        label=_("Beiträge zu prüfen"),
        waiting=inbox.pending,
        link=inbox.pending_link,
        order=10,
    )
    register_inbox_row(
        "ideas-reported",
        label=_("Gemeldete Beiträge"),
        waiting=inbox.reported_ideas,
        link=inbox.reported_ideas_link,
        order=20,
    )
    register_inbox_row(
        "comments-reported",
        label=_("Gemeldete Kommentare"),
        waiting=inbox.reported_comments,
        link=inbox.reported_comments_link,
        order=30,
    )
    register_inbox_row(
        "ideas-answer-due",
        label=_("Beiträge ohne Antwort"),
        waiting=inbox.answer_due,
        link=inbox.answer_due_link,
        order=50,
        since_label=_("veröffentlicht"),
    )
    register_purge("ideas", label="unconfirmed idea(s)", purge=ideas_purge_unconfirmed)
