"""What the widgets plug into other apps; called once from `ParticipationConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_admin_link
from quartier.admin_site import register_admin_view

from .views import snippet_view


def register():
    register_admin_view("einbetten/", snippet_view, name="embed-snippet")
    register_area_admin_link(
        "embed-snippet",
        label=_("Für andere Websites einbetten"),
        url=lambda area: (
            reverse("admin:embed-snippet") + f"?area={area.pk}" if area.is_current else None
        ),
        order=30,
    )
