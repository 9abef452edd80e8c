"""What offices plug into other apps; called once from `ParticipationConfig.ready()`."""

from datetime import time

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_inbox_row
from quartier.jobs import Daily, periodic

from . import inbox
from .services import forwardings_remind


def register():
    register_inbox_row(
        "office-answers",
        label=_("Antworten der Ämter zu entscheiden"),
        waiting=inbox.to_decide,
        link=inbox.to_decide_link,
        order=52,
        since_label=_("die erste am"),
    )
    register_inbox_row(
        "office-overdue",
        label=_("Überfällige Anfragen an Ämter"),
        waiting=inbox.overdue,
        link=inbox.overdue_link,
        order=54,
        since_label=_("die erste weitergeleitet am"),
    )
    periodic("office-reminders", Daily(time(7, 30)), forwardings_remind)
