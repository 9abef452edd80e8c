from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from quartier import services
from quartier.legal_forms import BarrierReportForm
from quartier.models import LegalPage
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok


class HomeView(TemplateView):
    template_name = "home.html"


class LegalPageMixin:
    """Shows the LegalPage with the view's `key` (its text is kept in German only)."""

    key = None
    template_name = "legal/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = LegalPage.objects.for_key(self.key)
        return context


class LegalPageView(LegalPageMixin, TemplateView):
    pass


class AccessibilityStatementView(LegalPageMixin, FormView):
    """The accessibility statement with its feedback form for reporting barriers."""

    key = LegalPage.Key.ACCESSIBILITY
    template_name = "legal/accessibility.html"
    form_class = BarrierReportForm

    def get_initial(self):
        # Links from other pages may pass the page they came from: ?seite=/ideen/
        return {"page_url": self.request.GET.get("seite", "")[:500]}

    def form_valid(self, form):
        if not rate_limit_ok(self.request, "barrier-report", limit=5, period=3600):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)
        data = form.cleaned_data
        services.barrier_report_submit(
            name=data["name"],
            email=data["email"],
            page_url=data["page_url"],
            description=data["description"],
        )
        messages.success(
            self.request,
            _("Danke! Ihre Meldung ist angekommen. Wir kümmern uns darum."),
        )
        return redirect(reverse("legal:barrierefreiheit") + "#barriere-melden")


@never_cache
def healthz(request):
    """For load balancers: 200 after a database round trip, 503 when the database is away."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
