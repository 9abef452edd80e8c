"""`<link rel="alternate">` for the Atom feeds in every page's head (base.html).

The portal feed is offered everywhere; an area page also offers its own feed. The area comes
from the URL (no query), so neighbourhoods' templates need not know about participation.
"""

from django.urls import reverse
from django.utils.translation import gettext as _


def feed_links(request):
    links = [
        {"title": _("Neuigkeiten aus dem ganzen Portal"), "url": reverse("participation:feed")}
    ]
    match = getattr(request, "resolver_match", None)
    if match and match.view_name == "neighbourhoods:area-detail" and "slug" in match.kwargs:
        links.insert(
            0,
            {
                "title": _("Neuigkeiten aus diesem Gebiet"),
                "url": reverse("participation:area-feed", kwargs={"slug": match.kwargs["slug"]}),
            },
        )
    return {"FEED_LINKS": links}
