"""What paper cards plug into other apps; called once from `ParticipationConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_admin_link


def register():
    register_area_admin_link(
        "paper-cards",
        label=_("Papierkarten drucken"),
        url=lambda area: (
            reverse("participation:paper-cards", args=[area.slug]) if area.is_current else None
        ),
        order=10,
    )
    register_area_admin_link(
        "paper-entry",
        label=_("Papierkarten erfassen"),
        url=lambda area: (
            reverse("admin:participation_idea_paper") + f"?gebiet={area.pk}"
            if area.is_current
            else None
        ),
        order=20,
    )
