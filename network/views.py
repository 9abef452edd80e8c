import hashlib
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView

from neighbourhoods.models import Area
from quartier import formkeys, fragments
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from . import selectors, services
from .calendars.models import PartnerEvent
from .filters import PartnerFilter
from .forms import JoinRequestForm, PartnerEntryForm
from .models import ContactPerson, Cooperation, Partner
from .permissions import may_edit_partner_entry
from .registry import render_partner_sections


class PartnerListView(FilterView):
    """/netzwerk/: the directory, filterable without JavaScript, with counts and a map.

    The results (counts by kind, the cards of one page, the pagination) are kept as a fragment
    for each choice of the filters and page until a row of the network or of the area tree
    changes; with a text search they are rendered each time (no entry per typed text)."""

    filterset_class = PartnerFilter
    template_name = "network/partner_list.html"
    paginate_by = 20
    strict = False

    def get_queryset(self):
        return Partner.objects.active().for_directory().order_by("name")

    def get_paginator(self, queryset, per_page, **kwargs):
        return fragments.KeptCountPaginator(
            queryset,
            per_page,
            scopes=selectors.PICTURE_SCOPES,
            key=fragments.list_key("partners", fragments.chosen_filters(self.filterset)),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        chosen = fragments.chosen_filters(filterset)
        if chosen is None:
            query = self.request.GET.copy()
            query.pop("page", None)
            query = query.urlencode()
        else:  # only the form's fields go into the kept links (never any other parameter)
            query = urlencode([(field, value) for field, values in chosen for value in values])
        context["query"] = query
        context["filter_html"] = fragments.filter_form_html(
            "partners",
            filterset,
            "network/includes/partner_filter.html",
            selectors.PICTURE_SCOPES,
        )
        context["core_team"] = fragments.cached(
            "core-team:city", selectors.PICTURE_SCOPES, selectors.core_team
        )
        geojson_url = reverse("network:partners-geojson")
        context["geojson_url"] = f"{geojson_url}?{query}" if query else geojson_url

        def results():
            part = {**context, "kind_counts": selectors.kind_counts(self.object_list)}
            return {
                "kind_counts": part["kind_counts"],
                "summary": render_to_string("network/includes/partner_summary.html", part),
                "cards": render_to_string("network/includes/partner_results.html", part),
            }

        if chosen is None:
            kept = results()
        else:
            page = context["page_obj"].number
            key = hashlib.sha256(repr((chosen, page)).encode()).hexdigest()
            kept = fragments.cached(f"partner-results:{key}", selectors.PICTURE_SCOPES, results)
        context["kind_counts"] = kept["kind_counts"]
        context["results"] = kept
        return context


@require_GET
def partners_geojson(request):
    partners = PartnerFilter(request.GET, queryset=Partner.objects.active()).qs
    return JsonResponse(selectors.partners_geojson(partners))


class PartnerDetailView(DetailView):
    """A partner's page. What it says about itself (fields of work, target groups,
    cooperations, where, contacts) is kept as a fragment until a row of the network or of the
    area tree changes; its upcoming events and the sections of other apps are read each time
    (they move on with the clock)."""

    template_name = "network/partner_detail.html"
    context_object_name = "partner"

    def get_queryset(self):
        return Partner.objects.active()

    def get_object(self, queryset=None):
        """The partner's row, kept until the network or the area tree changes (an unknown slug
        is looked up each time: nothing is kept)."""
        digest = hashlib.sha256(self.kwargs[self.slug_url_kwarg].encode()).hexdigest()
        find = super().get_object
        return fragments.cached(
            f"partner-row:{digest}", selectors.PICTURE_SCOPES, lambda: find(queryset)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        context["entry"] = fragments.cached(
            f"partner-entry:{partner.pk}", selectors.PICTURE_SCOPES, lambda: partner_entry(partner)
        )

        def live():
            # the same for everybody; what "upcoming" shows moves on with the clock: kept for
            # at most a minute, and until the network or a meeting changes
            return {
                "sections": render_partner_sections(partner, self.request),
                "partner_events": list(
                    PartnerEvent.objects.visible().upcoming().filter(partner=partner)[:20]
                ),
            }

        context.update(
            fragments.cached(
                f"partner-live:{partner.pk}",
                (*selectors.PICTURE_SCOPES, "model:participation.meeting"),
                live,
                seconds=60,
            )
        )
        user = self.request.user
        context["may_edit"] = user.is_authenticated and may_edit_partner_entry(user, partner)
        return context


def partner_entry(partner):
    """{"main": what the partner does, for whom, with whom; "aside": where and whom to ask}
    as HTML."""
    prefetch_related_objects(
        [partner],
        Prefetch("areas", queryset=Area.objects.only("pk", "name", "slug").order_by("name")),
        "fields_of_work",
        "target_groups",
        Prefetch(
            "contacts",
            queryset=ContactPerson.objects.public().order_by("name"),
            to_attr="public_contacts",
        ),
        Prefetch(
            "cooperations",
            queryset=Cooperation.objects.order_by("-since", "title").prefetch_related(
                Prefetch(
                    "partners",
                    queryset=Partner.objects.active().only("pk", "name", "slug"),
                    to_attr="active_partners",
                )
            ),
        ),
    )
    cooperations = list(partner.cooperations.all())
    for cooperation in cooperations:
        cooperation.others = [p for p in cooperation.active_partners if p.pk != partner.pk]
    context = {"partner": partner, "cooperations": cooperations}
    return {
        "main": render_to_string("network/includes/partner_main.html", context),
        "aside": render_to_string("network/includes/partner_aside.html", context),
    }


class JoinRequestView(FormView):
    form_class = JoinRequestForm
    template_name = "network/join_request.html"

    def form_valid(self, form):
        data = form.cleaned_data
        key = data["form_key"]
        if replay := formkeys.sent_before(self.request, scope="join-request", key=key):
            return replay
        if not rate_limit_ok(
            self.request, "network-join", limit=5, period=3600, keys=[data["contact_email"]]
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)

        def create():
            services.joinrequest_submit(
                organisation_name=data["organisation_name"],
                kind=data["kind"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                website=data["homepage"],
                areas=data["areas"],
                consent=data["consent"],
            )
            return reverse("network:join-request-thanks")

        try:
            outcome = formkeys.once(scope="join-request", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(self.request, outcome.url)
        return redirect(outcome.url)


class JoinRequestThanksView(TemplateView):
    template_name = "network/join_request_thanks.html"


def _area_url(area):
    """The area page's URL; None while the neighbourhoods area pages are not installed."""
    if area is None:
        return None
    try:
        return area.get_absolute_url()
    except NoReverseMatch:
        return None


class NetworkPictureView(TemplateView):
    template_name = "network/picture.html"
    area = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["area"] = self.area
        context["area_url"] = _area_url(self.area)
        context["picture_html"] = selectors.network_picture_html(self.area)
        return context


class AreaNetworkPictureView(NetworkPictureView):
    def get(self, request, *args, slug, **kwargs):
        self.area = get_object_or_404(Area, slug=slug)
        return super().get(request, *args, **kwargs)


class PartnerEntryUpdateView(UpdateView):
    """A partner account edits its public entry; every change goes to the PartnerChange log."""

    form_class = PartnerEntryForm
    template_name = "network/partner_entry_form.html"
    context_object_name = "partner"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        partner = get_object_or_404(Partner.objects.active(), slug=self.kwargs["slug"])
        if not may_edit_partner_entry(self.request.user, partner):
            raise PermissionDenied
        return partner

    def form_valid(self, form):
        from django.contrib import messages

        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.partner_update_entry(
            partner=Partner.objects.get(pk=self.object.pk), by=self.request.user, data=data
        )
        messages.success(self.request, _("Der Eintrag wurde gespeichert."))
        return redirect(self.object.get_absolute_url())
