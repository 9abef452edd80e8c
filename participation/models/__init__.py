from .feedback import MoodAnswer
from .meetings import Meeting, Registration
from .topics import Topic

__all__ = ["Meeting", "MoodAnswer", "Registration", "Topic"]
