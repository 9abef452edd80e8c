from . import feedback, ideas, meetings  # noqa: F401
