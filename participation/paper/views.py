"""Printable cards for people who do not go online: an idea card and a mood card per area,
each with a QR code to the same form online (in the language of the page's URL prefix)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from neighbourhoods.models import Area
from participation.ideas.models import IdeaKind
from participation.surveys.models import Survey
from participation.topics.models import Topic
from quartier.qr import qr_svg

# card name in the address -> the kind of contribution its online form opens with
CARDS = {"idee": IdeaKind.IDEA, "stimmung": IdeaKind.STRENGTH}


def idea_form_url(request, area, kind):
    """The absolute address of the online form for `area`, opened on `kind`."""
    query = urlencode({"gebiet": area.slug, "art": kind})
    return request.build_absolute_uri(f"{reverse('participation:idea-create')}?{query}")


def card_context(request, area, name):
    url = idea_form_url(request, area, CARDS[name])
    return {
        "name": name,
        "online_url": url,
        "qr_code": qr_svg(url, title=_("QR-Code zum Online-Formular"), omitsize=True),
    }


class PaperCardsView(TemplateView):
    """`/karten/<area>/`: every card of the area, a printed page each; `/karten/<area>/<card>/`
    one of them. Surveys running in the area are linked to their printable questionnaire."""

    template_name = "participation/paper/cards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = get_object_or_404(
            Area.objects.current().without_geometry(), slug=self.kwargs["slug"]
        )
        names = list(CARDS)
        if card := self.kwargs.get("card"):
            if card not in CARDS:
                raise Http404
            names = [card]
        context.update(
            area=area,
            cards=[card_context(self.request, area, name) for name in names],
            single=len(names) == 1,
            topics=list(Topic.objects.filter(is_active=True)),
            return_address=settings.PAPER_RETURN_ADDRESS,
            surveys=list(Survey.objects.running().filter(areas=area).order_by("ends_on")),
        )
        return context
