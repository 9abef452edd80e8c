from . import ideas  # noqa: F401
