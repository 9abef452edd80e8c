"""Public fund and body pages, the application form, the applicant's signed link, one's own
applications, and the online vote of body members in a written procedure."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from neighbourhoods.models import area_geometry
from quartier import formkeys
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from . import services
from .forms import ApplicationForm, ProofForm, ReviseForm, VoteForm
from .models import (
    AgendaItem,
    ApplicationStatus,
    Body,
    BodySession,
    Fund,
    FundApplication,
    Membership,
    Vote,
)

S = ApplicationStatus
APPLIED_SESSION_KEY = "fund_applied"


def projects_geojson(applications):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": application.location,
                "properties": {
                    "title": application.title,
                    "summary": f"{application.approved_amount} € · {application.area.name}",
                },
            }
            for application in applications
            if application.location
        ],
    }


class FundListView(ListView):
    template_name = "participation/funds/fund_list.html"
    context_object_name = "funds"

    def get_queryset(self):
        return (
            Fund.objects.open()
            .with_money()
            .select_related("area", "body")
            .defer(*area_geometry("area"))
            .order_by("area__name", "name")
        )


class FundDetailView(DetailView):
    template_name = "participation/funds/fund_detail.html"
    context_object_name = "fund"

    def get_queryset(self):
        return (
            Fund.objects.with_money().select_related("area", "body").defer(*area_geometry("area"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = (
            self.object.applications.filter(decided_at__isnull=False)
            .exclude(status=S.DEFERRED)
            .select_related("area")
            .defer(*area_geometry("area"))
            .order_by("-decided_at")[:50]
        )
        return context


class FundedProjectsView(ListView):
    template_name = "participation/funds/projects.html"
    context_object_name = "projects"
    paginate_by = 24

    def get_queryset(self):
        return (
            FundApplication.objects.funded()
            .select_related("area", "fund")
            .defer(*area_geometry("area"), *area_geometry("fund__area"))
            .order_by("-starts_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects_geojson"] = projects_geojson(context["projects"])
        return context


class ApplicationCreateView(FormView):
    template_name = "participation/funds/apply.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        self.fund = get_object_or_404(Fund.objects.select_related("area", "body"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fund": self.fund, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "fund": self.fund}

    def form_valid(self, form):
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(self.request, scope="fund-application", key=key):
            return replay
        if not rate_limit_ok(self.request, "fund-apply", limit=10, period=3600):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)
        fields = form.service_fields()
        user = self.request.user if self.request.user.is_authenticated else None
        if user is not None:
            fields["email"] = user.email

        def create():
            application = services.application_submit(
                fund=self.fund,
                cost_items=form.cleaned_data["cost_items"],
                files=form.cleaned_data["attachments"],
                user=user,
                **fields,
            )
            self.request.session[APPLIED_SESSION_KEY] = application.pk
            return reverse("participation:fund-applied", kwargs={"pk": self.fund.pk})

        try:
            outcome = formkeys.once(scope="fund-application", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(self.request, outcome.url)
        return redirect(outcome.url)


def application_sent(request, pk):
    """After applying: what happens next (the application remembered in the session)."""
    fund = get_object_or_404(Fund, pk=pk)
    application = FundApplication.objects.filter(
        pk=request.session.get(APPLIED_SESSION_KEY), fund=fund
    ).first()
    if application is None:
        return redirect(fund)
    context = {"application": application, "fund": fund}
    return render(request, "participation/funds/applied.html", context)


class ApplicationLinkView(View):
    """The applicant's page behind the signed link: state, log, and what is needed now —
    confirming the address, changing the application, the proof of use."""

    template_name = "participation/funds/application.html"

    def get_application(self, token):
        try:
            return services.application_from_token(token), None
        except services.LinkExpired as expired:
            return None, expired
        except FundApplication.DoesNotExist:
            raise Http404 from None

    def form_for(self, application, data=None, files=None):
        if application.status == S.CHANGES_REQUESTED:
            return ReviseForm(data, files, application=application)
        if application.status == S.PAID:
            return ProofForm(data, files)
        return None

    def render_page(self, request, application, form=None, status=200):
        context = {
            "application": application,
            "form": form if form is not None else self.form_for(application),
            "events": application.events.all(),
            "cost_items": application.cost_items.all(),
            "attachments": application.attachments.all(),
            "token": self.kwargs["token"],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, token):
        application, expired = self.get_application(token)
        if expired:
            return render(
                request, "participation/funds/link_expired.html", {"token": token}, status=410
            )
        return self.render_page(request, application)

    def post(self, request, token):
        application, expired = self.get_application(token)
        if expired:
            if expired.application is not None and rate_limit_ok(
                request, "fund-link", limit=5, period=3600, keys=[expired.application.pk]
            ):
                services.application_send_link(application=expired.application)
            messages.success(
                request,
                _(
                    "Wenn der Antrag besteht, ist ein neuer Link unterwegs. "
                    "Bitte sehen Sie in Ihr Postfach."
                ),
            )
            return redirect("participation:fund-list")
        action = request.POST.get("action")
        if action == "confirm" and application.status == S.UNCONFIRMED:
            services.application_confirm(application=application)
            messages.success(
                request, _("Danke, Ihre E-Mail-Adresse ist bestätigt. Ihr Antrag ist eingereicht.")
            )
            return redirect(request.path)
        form = self.form_for(application, request.POST, request.FILES)
        if form is None:
            return redirect(request.path)
        if not form.is_valid():
            return self.render_page(request, application, form, status=400)
        data = form.cleaned_data
        try:
            if isinstance(form, ReviseForm):
                services.application_revise(
                    application=application,
                    cost_items=data["cost_items"],
                    files=data["attachments"],
                    description=data["description"],
                    requested_amount=data["requested_amount"],
                    own_contribution=data["own_contribution"],
                )
                messages.success(request, _("Danke, Ihr geänderter Antrag ist eingereicht."))
            else:
                services.proof_submit(
                    application=application,
                    report=data["report"],
                    participants=data["participants"],
                    spent_amount=data["spent_amount"],
                    files=data["attachments"],
                )
                messages.success(request, _("Danke, Ihr Verwendungsnachweis ist eingegangen."))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_page(request, application, form, status=400)
        return redirect(request.path)


class MyApplicationsView(LoginRequiredMixin, TemplateView):
    template_name = "participation/funds/mine.html"

    def get_context_data(self, **kwargs):
        applications = list(
            FundApplication.objects.filter(user=self.request.user)
            .select_related("fund")
            .order_by("-created_at")
        )
        for application in applications:
            application.link = services.applicant_url(application)
        return {**super().get_context_data(**kwargs), "applications": applications}


# --- bodies -----------------------------------------------------------------------------------


class BodyListView(ListView):
    template_name = "participation/funds/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        return (
            Body.objects.select_related("area")
            .defer(*area_geometry("area"))
            .order_by("area__name", "name")
        )


class BodyDetailView(DetailView):
    template_name = "participation/funds/body_detail.html"
    context_object_name = "body"

    def get_queryset(self):
        return Body.objects.select_related("area").defer(*area_geometry("area"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.object
        now = timezone.now()
        public_items = Prefetch(
            "items", queryset=AgendaItem.objects.filter(is_public=True).order_by("position", "pk")
        )
        sessions = BodySession.objects.filter(body=body, is_public=True).prefetch_related(
            public_items
        )
        context.update(
            members=Membership.objects.current()
            .filter(body=body)
            .select_related("partner")
            .order_by("role", "pk"),
            elections=body.elections.prefetch_related("elected"),
            next_sessions=sessions.filter(starts_at__gte=now).order_by("starts_at")[:5],
            past_sessions=sessions.filter(starts_at__lt=now).order_by("-starts_at")[:10],
            funds=body.funds.all(),
        )
        return context


class BodyVotesView(LoginRequiredMixin, View):
    """Members with an account vote online in running written procedures of their bodies."""

    template_name = "participation/funds/votes.html"

    def memberships(self):
        return Membership.objects.current().filter(user=self.request.user).select_related("body")

    def open_applications(self, memberships):
        body_ids = [membership.body_id for membership in memberships]
        return (
            FundApplication.objects.filter(
                status=S.BEFORE_BODY,
                fund__body_id__in=body_ids,
                written_deadline__gt=timezone.now(),
            )
            .select_related("fund", "area")
            .prefetch_related("cost_items")
            .order_by("written_deadline")
        )

    def get(self, request, form_errors=None):
        memberships = list(self.memberships())
        if not memberships:
            return render(request, self.template_name, {"memberships": [], "rows": []}, status=403)
        by_body = {membership.body_id: membership for membership in memberships}
        applications = list(self.open_applications(memberships))
        mine = {
            (vote.application_id): vote
            for vote in Vote.objects.filter(
                membership__in=memberships, application__in=applications
            )
        }
        rows = []
        for application in applications:
            vote = mine.get(application.pk)
            form = (form_errors or {}).get(application.pk) or VoteForm(
                initial={"choice": vote.choice if vote else None}, prefix=f"a{application.pk}"
            )
            rows.append(
                {
                    "application": application,
                    "membership": by_body[application.fund.body_id],
                    "vote": vote,
                    "form": form,
                }
            )
        return render(request, self.template_name, {"memberships": memberships, "rows": rows})

    def post(self, request):
        memberships = list(self.memberships())
        try:
            pk = int(request.POST.get("application", ""))
        except ValueError:
            raise Http404 from None
        application = get_object_or_404(self.open_applications(memberships), pk=pk)
        membership = next(m for m in memberships if m.body_id == application.fund.body_id)
        form = VoteForm(request.POST, prefix=f"a{pk}")
        if form.is_valid():
            try:
                services.vote_cast(
                    application=application,
                    membership=membership,
                    choice=form.cleaned_data["choice"],
                    online=True,
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
        if form.errors:
            return self.get(request, form_errors={pk: form})
        messages.success(request, _("Ihre Stimme ist gespeichert."))
        return redirect("participation:body-votes")
