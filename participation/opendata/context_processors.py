"""`<link rel="alternate">` for the Atom feeds in every page's head (base.html).

The portal feed is offered everywhere; an area page also offers its own feed. The area comes
from the URL (no query), so neighbourhoods' templates need not know about participation.
The portal feed's link depends only on the language and the URL configuration: it is made once
per process for each (every page needs it; a reverse() costs more than the rest of this).
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_portal_feeds = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _portal_feeds.clear()


def _portal_feed():
    key = (get_language(), get_urlconf(), get_script_prefix())
    link = _portal_feeds.get(key)
    if link is None:
        link = _portal_feeds[key] = {
            "title": _("Neuigkeiten aus dem ganzen Portal"),
            "url": reverse("participation:feed"),
        }
    return link


def feed_links(request):
    links = [_portal_feed()]
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
