"""Django's admin autodiscovery imports `participation.admin`: every feature's admin."""

from .audit import admin as audit_admin  # noqa: F401
from .feedback import admin as feedback_admin  # noqa: F401
from .funds import admin as funds_admin  # noqa: F401
from .ideas import admin as ideas_admin  # noqa: F401
from .measures import admin as measures_admin  # noqa: F401
from .meetings import admin as meetings_admin  # noqa: F401
from .newsletter import admin as newsletter_admin  # noqa: F401
from .offices import admin as offices_admin  # noqa: F401
from .subscriptions import admin as subscriptions_admin  # noqa: F401
from .surveys import admin as surveys_admin  # noqa: F401
from .topics import admin as topics_admin  # noqa: F401
