import sys

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from quartier import formkeys, fragments, services
from quartier.forms import add_service_errors
from quartier.home import home_sections
from quartier.legal_forms import BarrierReportForm
from quartier.models import LegalPage
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok


class HomeView(TemplateView):
    """The start page: what happens in the quarters (sections the apps register in
    `quartier.home`), then the ways to take part."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = home_sections()
        kept = self.kept_sections([s for s in sections if s.cache_scopes is not None])
        rendered = []
        for section in sections:
            if section.cache_scopes is not None:
                html = kept.get(section.key) or None
            else:
                html = self.render_section(section)
            if html is not None:
                rendered.append({"key": section.key, "wide": section.wide, "html": html})
        context["sections"] = rendered
        return context

    def render_section(self, section):
        section_context = section.context(self.request)
        if section_context is None:
            return None
        return render_to_string(section.template_name, section_context, self.request)

    def kept_sections(self, sections):
        """{key: HTML ("" for a section left out)} of the sections kept as fragments."""
        return fragments.cached_sections(
            sections,
            lambda section: (f"home:{section.key}", section.cache_scopes),
            self.render_section,
        )


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
        data = form.cleaned_data
        key = data["form_key"]
        if replay := formkeys.sent_before(self.request, scope="barrier-report", key=key):
            return replay
        if not rate_limit_ok(self.request, "barrier-report", limit=5, period=3600):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)

        def create():
            services.barrier_report_submit(
                name=data["name"],
                email=data["email"],
                page_url=data["page_url"],
                description=data["description"],
            )
            return reverse("legal:barrierefreiheit") + "#barriere-melden"

        try:
            outcome = formkeys.once(scope="barrier-report", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(self.request, outcome.url)
        messages.success(
            self.request,
            _("Danke! Ihre Meldung ist angekommen. Wir kümmern uns darum."),
        )
        return redirect(outcome.url)


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


# How long a client (or a load balancer) should wait before asking again while the database
# is away; /healthz tells the load balancer when it is back.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc):
    """True if `exc` (or what it was raised from) means the database cannot be reached.

    Django wraps the driver's errors: PostgreSQL refusing connections (psycopg.OperationalError)
    and SQLite failing to open its file (sqlite3.OperationalError, "unable to open database
    file") both arrive as django.db.utils.OperationalError; a connection that died in use
    gives InterfaceError ("connection already closed").
    """
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__
    return False


def error_500(request):
    """The page for an uncaught exception: 503 while the database is away, 500 otherwise.

    Django calls this inside its `except` block, so sys.exc_info() is the exception (it logs
    it to django.request afterwards). The page is rendered without the request's context
    processors: none of them may touch the session, the user or the database, which may be
    the very thing that failed.
    """
    context = {"LANGUAGE_CODE": get_language()}
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(render_to_string("500.html", context), status=500)
    add_never_cache_headers(response)
    return response
