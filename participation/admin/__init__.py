from . import feedback, meetings  # noqa: F401
