"""What following plugs into other apps; called once from `ParticipationConfig.ready()`."""

from datetime import time

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import on_split, register_area_section, register_split_count
from quartier.home import register_home_section
from quartier.jobs import Weekly, periodic
from quartier.personal_data import register_personal_data
from quartier.purge import register_purge

from . import personal_data, sections
from .notifications import send_digests
from .services import (
    followers_follow_successors,
    followers_split_count,
    subscriptions_purge_unconfirmed,
)


def register():
    register_area_section(
        "follow",
        template_name="participation/subscriptions/_area_section.html",
        context=sections.follow_context,
        order=5,
    )
    register_home_section(
        "followed-news",
        template_name="participation/subscriptions/_home_news.html",
        context=sections.home_news_context,
        order=5,
        wide=True,
    )
    on_split(followers_follow_successors)
    register_split_count(
        "followers", label=_("Abos (Folgen)"), count=followers_split_count, order=70
    )
    register_personal_data(
        "subscriptions", export=personal_data.export, anonymise=personal_data.anonymise
    )
    register_purge(
        "subscriptions",
        label="unconfirmed subscription(s)",
        purge=subscriptions_purge_unconfirmed,
    )
    periodic("weekly-digests", Weekly(0, time(7, 0)), send_digests)  # Mondays, 7 o'clock
