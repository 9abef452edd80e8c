"""Demo data of every feature (`manage.py demo` loads `<app>.demo`), each idempotent."""

from .feedback import demo as feedback_demo
from .funds import demo as funds_demo
from .ideas import demo as ideas_demo
from .measures import demo as measures_demo
from .meetings import demo as meetings_demo
from .newsletter import demo as newsletter_demo
from .offices import demo as offices_demo
from .subscriptions import demo as subscriptions_demo
from .summaries.services import summaries_rebuild
from .surveys import demo as surveys_demo


def load(*, stdout):
    for feature in (
        ideas_demo,
        meetings_demo,
        feedback_demo,
        funds_demo,
        subscriptions_demo,
        offices_demo,
        measures_demo,
        newsletter_demo,
        surveys_demo,
    ):
        feature.load(stdout=stdout)
    # the demo dates its ideas with queryset updates (no signals): count the summaries once
    summaries_rebuild()
