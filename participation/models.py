"""Django loads `participation.models`: every feature's models, gathered here (code imports
them from the feature, e.g. `participation.ideas.models`)."""

from .feedback.models import MoodAnswer
from .ideas.models import (
    KIND_COLOURS_BY_KIND,
    PUBLIC_STATUSES,
    STATUS_TRANSITIONS,
    Answer,
    Channel,
    Comment,
    Flag,
    Idea,
    IdeaKind,
    IdeaStatus,
    ModerationLog,
    Support,
)
from .meetings.models import Meeting, Registration
from .subscriptions.models import (
    Frequency,
    Notification,
    NotificationKind,
    Subscription,
)
from .surveys.models import (
    HelperContact,
    PopulationFigure,
    SocialSpaceDrawing,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from .topics.models import Topic

__all__ = [
    "KIND_COLOURS_BY_KIND",
    "PUBLIC_STATUSES",
    "STATUS_TRANSITIONS",
    "Answer",
    "Channel",
    "Comment",
    "Flag",
    "Frequency",
    "HelperContact",
    "Idea",
    "IdeaKind",
    "IdeaStatus",
    "Meeting",
    "ModerationLog",
    "MoodAnswer",
    "Notification",
    "PopulationFigure",
    "NotificationKind",
    "Registration",
    "SocialSpaceDrawing",
    "Subscription",
    "Support",
    "Survey",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyQuestion",
    "SurveyResponse",
    "Topic",
]
