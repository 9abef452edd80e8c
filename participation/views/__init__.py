from . import feedback, ideas, meetings, subscriptions  # noqa: F401
