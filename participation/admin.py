from . import feedback, ideas, meetings, subscriptions, topics  # noqa: F401
