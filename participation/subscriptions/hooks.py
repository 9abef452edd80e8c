"""What following plugs into other apps; called once from `ParticipationConfig.ready()`."""

from neighbourhoods.registry import on_split, register_area_section
from quartier.personal_data import register_personal_data
from quartier.purge import register_purge

from . import personal_data, sections
from .services import followers_follow_successors, subscriptions_purge_unconfirmed


def register():
    register_area_section(
        "follow",
        template_name="participation/subscriptions/_area_section.html",
        context=sections.follow_context,
        order=5,
    )
    on_split(followers_follow_successors)
    register_personal_data(
        "subscriptions", export=personal_data.export, anonymise=personal_data.anonymise
    )
    register_purge(
        "subscriptions",
        label="unconfirmed subscription(s)",
        purge=subscriptions_purge_unconfirmed,
    )
