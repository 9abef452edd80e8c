from . import feedback, ideas, meetings, topics  # noqa: F401
