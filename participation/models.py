"""Django loads `participation.models`: every feature's models, gathered here (code imports
them from the feature, e.g. `participation.ideas.models`)."""

from .feedback.models import MoodAnswer
from .funds.models import (
    AgendaItem,
    ApplicationEvent,
    Attachment,
    Body,
    BodySession,
    CostItem,
    Election,
    Fund,
    FundApplication,
    FundTranche,
    Membership,
    Payment,
    Vote,
)
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
from .measures.models import Measure, MeasureStatus, MeasureUpdate, Milestone
from .meetings.models import Meeting, Registration
from .newsletter.models import Newsletter
from .offices.models import Decision, Forwarding, Office
from .subscriptions.models import (
    Frequency,
    Notification,
    NotificationKind,
    Subscription,
)
from .summaries.models import AreaIdeaCount, AreaMoodCount
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
    "AgendaItem",
    "ApplicationEvent",
    "Attachment",
    "Body",
    "BodySession",
    "CostItem",
    "Election",
    "Fund",
    "FundApplication",
    "FundTranche",
    "Membership",
    "Payment",
    "Vote",
    "KIND_COLOURS_BY_KIND",
    "PUBLIC_STATUSES",
    "STATUS_TRANSITIONS",
    "Answer",
    "Channel",
    "Comment",
    "Decision",
    "Flag",
    "Forwarding",
    "Frequency",
    "HelperContact",
    "Idea",
    "IdeaKind",
    "IdeaStatus",
    "Measure",
    "MeasureStatus",
    "MeasureUpdate",
    "Meeting",
    "Milestone",
    "ModerationLog",
    "MoodAnswer",
    "Newsletter",
    "Notification",
    "PopulationFigure",
    "NotificationKind",
    "Office",
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
    "AreaIdeaCount",
    "AreaMoodCount",
]
