from .feedback import MoodAnswer
from .ideas import (
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
from .meetings import Meeting, Registration
from .subscriptions import (
    Frequency,
    Notification,
    NotificationKind,
    Subscription,
)
from .topics import Topic

__all__ = [
    "KIND_COLOURS_BY_KIND",
    "PUBLIC_STATUSES",
    "STATUS_TRANSITIONS",
    "Answer",
    "Channel",
    "Comment",
    "Flag",
    "Frequency",
    "Idea",
    "IdeaKind",
    "IdeaStatus",
    "Meeting",
    "ModerationLog",
    "MoodAnswer",
    "Notification",
    "NotificationKind",
    "Registration",
    "Subscription",
    "Support",
    "Topic",
]
