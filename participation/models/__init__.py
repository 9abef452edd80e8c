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
from .topics import Topic

__all__ = [
    "KIND_COLOURS_BY_KIND",
    "PUBLIC_STATUSES",
    "STATUS_TRANSITIONS",
    "Answer",
    "Channel",
    "Comment",
    "Flag",
    "Idea",
    "IdeaKind",
    "IdeaStatus",
    "Meeting",
    "ModerationLog",
    "MoodAnswer",
    "Registration",
    "Support",
    "Topic",
]
