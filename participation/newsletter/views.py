"""The public archive: a sent Quartiersbrief, and its A4 notice with a QR code."""

from django.utils.translation import gettext as _
from django.views.generic import DetailView

from neighbourhoods.models import area_geometry
from quartier import qr
from quartier.mail import absolute_url

from .models import Newsletter


def qr_svg(url, title):
    """`url` as an inline SVG QR code (made here: no request leaves the portal)."""
    return qr.qr_svg(url, title=title, scale=6, border=2, svgclass="notice-qr", omitsize=True)


class NewsletterDetailView(DetailView):
    template_name = "participation/newsletter/detail.html"
    context_object_name = "newsletter"

    def get_queryset(self):
        return Newsletter.objects.sent().select_related("area").defer(*area_geometry("area"))


class NewsletterNoticeView(NewsletterDetailView):
    """An A4 page for house entrances: the letter and a QR code to read and follow online."""

    template_name = "participation/newsletter/notice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        url = absolute_url(self.object.get_absolute_url())
        context["notice_url"] = url
        context["qr"] = qr_svg(url, _("QR-Code: dieser Quartiersbrief online"))
        return context
