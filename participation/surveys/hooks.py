"""What surveys plug into other apps; called once from `ParticipationConfig.ready()`."""

from quartier.purge import register_purge

from .services import helper_contacts_purge


def register():
    register_purge(
        "helper-contacts",
        label="helper contact(s) past HELPER_CONTACT_MONTHS",
        purge=helper_contacts_purge,
    )
