"""What the audit log plugs in; called once from `ParticipationConfig.ready()`."""

from . import registry


def register():
    registry.register()
