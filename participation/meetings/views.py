import datetime
import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django.views.generic.edit import FormMixin
from django_filters.views import FilterView

from neighbourhoods.geojson_io import area_feature
from neighbourhoods.models import Area, area_geometry
from neighbourhoods.selectors import area_tree
from network.models import Partner, PartnerEvent
from participation.ideas.models import Idea
from quartier import formkeys, fragments
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from .calendar import meetings_calendar
from .forms import MeetingFilter, RegistrationForm
from .models import Meeting, Registration
from .services import registration_cancel, registration_create

# After signing up, the meeting page shows the registration instead of the empty form again;
# visitors' registrations are remembered in their session (ids only, the newest few).
SESSION_KEY = "meeting_registrations"
MAX_REMEMBERED = 20


def meetings_geojson(meetings):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": meeting.location,
                "properties": {
                    "title": meeting.title,
                    "url": meeting.get_absolute_url(),
                    "summary": f"{meeting.starts_at:%d.%m.%Y} · {meeting.address}",
                },
            }
            for meeting in meetings
            if meeting.location
        ],
    }


def area_outline(area_id):
    """The area's outline (its display copy) as a GeoJSON feature, or {} without a boundary;
    kept until the area tree changes (boundaries are large: read once, not on every page)."""

    def build():
        area = Area.objects.get(pk=area_id)
        if not area.boundary:
            return {}
        return area_feature(area, url=area.get_absolute_url())

    return fragments.cached(f"area-outline:{area_id}", ("app:neighbourhoods",), build)


def _page_number(raw):
    """The page parameter as the paginator reads it (none is page 1, "02" is page 2; anything
    else than a number or "last" is a 404, kept nowhere)."""
    if not raw:
        return "1"
    return str(int(raw)) if raw.isdigit() else raw


# what a page of the meetings list shows: the meetings, their places, their areas' names
RESULT_SCOPES = (
    "model:participation.meeting",
    "model:participation.registration",
    "app:neighbourhoods",
)


class MeetingListView(FilterView):
    """Upcoming meetings (or past ones with ?zeit=vergangen), filtered by area and kind."""

    filterset_class = MeetingFilter
    template_name = "participation/meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 12

    def get_paginator(self, queryset, per_page, **kwargs):
        # the number of upcoming (or past) meetings, kept until a meeting changes (and for at
        # most FRAGMENT_CACHE_SECONDS as meetings pass): a COUNT over every one otherwise
        return fragments.KeptCountPaginator(
            queryset,
            per_page,
            scopes=("model:participation.meeting",),
            key=fragments.list_key(
                "meetings", fragments.chosen_filters(self.filterset), self.show_past(), self.now
            ),
            **kwargs,
        )

    def show_past(self):
        return self.request.GET.get("zeit") == "vergangen"

    def get_queryset(self):
        meetings = (
            Meeting.objects.select_related("area").defer(*area_geometry("area")).with_counts()
        )
        # the list's moment to the minute: its count is kept under the query (KeptCountPaginator),
        # and a new moment each request would keep a new count each time
        self.now = timezone.now().replace(second=0, microsecond=0)
        return meetings.past(self.now) if self.show_past() else meetings.upcoming(self.now)

    def get_context_data(self, **kwargs):
        show_past = self.show_past()
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("zeit", None)
        paginated = super().get_context_data

        def results():
            context = paginated(**kwargs)
            meetings = list(context["meetings"])
            page = context["page_obj"]
            return {
                "meetings_geojson": meetings_geojson(meetings),
                # a card shows its places while the meeting is ahead: kept apart from the past's
                "cards": fragments.kept_cards(
                    meetings,
                    name="meeting-card:past" if show_past else "meeting-card",
                    template_name="participation/meetings/_meeting_card.html",
                    context_name="meeting",
                    scopes=("app:neighbourhoods",),
                    load=None,
                ),
                "is_paginated": context["is_paginated"],
                "page_obj": page
                and {
                    "number": page.number,
                    "has_previous": page.has_previous(),
                    "previous_page_number": page.number - 1,
                    "has_next": page.has_next(),
                    "next_page_number": page.number + 1,
                },
                "paginator": page and {"num_pages": page.paginator.num_pages},
            }

        # the page of meetings as shown (rows, cards, map, pages), kept per chosen filters, page
        # and minute until a meeting or a registration is written: no query on a hit (a form
        # with errors is shown from its rows each time)
        key = fragments.list_key(
            "meetings",
            fragments.chosen_filters(self.filterset),
            show_past,
            self.now,
            _page_number(self.request.GET.get("page")),
        )
        if key is None:
            shown = results()
        else:
            digest = hashlib.sha256(repr(key).encode()).hexdigest()
            shown = fragments.cached(f"meeting-results:{digest}", RESULT_SCOPES, results)
        context = {
            "view": self,
            **kwargs,
            **shown,
            "show_past": show_past,
            "filter_query": params.urlencode(),
            "filter_html": fragments.filter_form_html(
                "meetings",
                kwargs["filter"],
                "participation/meetings/_filter.html",
                ("app:neighbourhoods",),
                extra={"show_past": show_past},
            ),
        }
        if not show_past:
            context["partner_events_html"] = self.partner_events_html()
        return context

    def partner_events_html(self):
        """The partners' own upcoming events (posted and approved, or from their calendars),
        in the chosen area through the areas the partner serves: one query, kept per area
        until the network changes (and for at most FRAGMENT_CACHE_SECONDS, as time passes)."""
        area = None
        if self.filterset.is_bound and self.filterset.form.is_valid():  # (unbound: no form)
            area = self.filterset.form.cleaned_data.get("area")

        def build():
            events = PartnerEvent.objects.visible().upcoming().select_related("partner")
            if area is not None:
                ids = area_tree().descendant_ids(area, with_successors=True)
                events = events.filter(partner__in=Partner.objects.serving(ids).values("pk"))
            events = events.only(
                "title", "text", "place", "starts_at", "ends_at", "partner__name", "partner__slug"
            )[:30]
            return render_to_string(
                "network/calendars/_events.html", {"events": list(events), "show_partner": True}
            )

        name = f"meetings-partner-events:{area.pk if area else ''}"
        return fragments.cached(name, ("app:network", "app:neighbourhoods"), build)


class MeetingDetailView(FormMixin, DetailView):
    template_name = "participation/meetings/meeting_detail.html"
    context_object_name = "meeting"
    form_class = RegistrationForm

    def get_queryset(self):
        return Meeting.objects.select_related("area").defer(*area_geometry("area")).with_counts()

    def get_object(self, queryset=None):
        """For a visitor's GET the meeting's row (with its places) is kept until a meeting or a
        registration is written: building its query with the counts cost more than the rest
        of the page. A registration (POST) reads it afresh."""
        find = super().get_object
        if self.request.method != "GET":
            return find(queryset)
        return fragments.cached(
            f"meeting-row:{self.kwargs[self.pk_url_kwarg]}",
            RESULT_SCOPES,
            lambda: find(queryset),
            per_language=False,
        )

    def get_initial(self):
        user = self.request.user
        if user.is_authenticated:
            return {"name": user.get_full_name() or user.username, "email": user.email}
        return {}

    def get_meeting_ideas(self):
        """The published ideas collected at this meeting."""
        return list(
            Idea.objects.public()
            .filter(meeting=self.object)
            .select_related("topic", "area")
            .defer(*area_geometry("area"))[:50]
        )

    def get_my_registrations(self):
        """This visitor's active registrations for the meeting: by account, or remembered in
        the session right after signing up (visitors have no account to find them by)."""
        remembered = self.request.session.get(SESSION_KEY, [])[-MAX_REMEMBERED:]
        if not remembered and not self.request.user.is_authenticated:
            return []  # (most visitors: no query to build)
        mine = Q(pk__in=remembered)
        if self.request.user.is_authenticated:
            mine |= Q(user=self.request.user)
        registrations = list(
            Registration.objects.filter(mine, meeting=self.object).active().order_by("pk")
        )
        waiting = [r for r in registrations if r.status == Registration.Status.WAITING]
        if waiting:
            line = list(self.object.registrations.waiting().values_list("pk", flat=True))
            for registration in waiting:
                registration.position = line.index(registration.pk) + 1
        return registrations

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context["meeting_ideas"] = self.get_meeting_ideas() if meeting.is_past else []
        context["meeting_geojson"] = meetings_geojson([meeting])
        if meeting.location:
            # the area's outline around the point: something to see before tiles are allowed
            outline = area_outline(meeting.area_id)
            if outline:
                context["meeting_geojson"]["features"].insert(0, outline)
        context["my_registrations"] = self.get_my_registrations()
        if meeting.is_open_for_registration:
            context["form_html"] = fragments.blank_form_html(context["form"])
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if not self.object.is_open_for_registration:
            form.add_error(None, _("Für dieses Treffen ist keine Anmeldung mehr möglich."))
            return self.form_invalid(form)
        if not form.is_valid():
            return self.form_invalid(form)
        data = form.cleaned_data
        key = data["form_key"]
        if replay := formkeys.sent_before(request, scope="registration", key=key):
            return replay
        if not rate_limit_ok(
            request, "meeting-register", limit=10, period=3600, keys=[data["email"]]
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)
        created = []

        def create():
            created.append(
                registration_create(
                    meeting=self.object,
                    name=data["name"],
                    email=data["email"],
                    people=data["people"],
                    note=data["note"],
                    user=request.user if request.user.is_authenticated else None,
                )
            )
            return self.object.get_absolute_url() + "#ihre-anmeldung"

        try:
            outcome = formkeys.once(scope="registration", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(request, outcome.url)
        registration = created[0]
        remembered = [*request.session.get(SESSION_KEY, []), registration.pk]
        request.session[SESSION_KEY] = remembered[-MAX_REMEMBERED:]
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request,
                _("Sie sind angemeldet. Die Bestätigung mit Kalendereintrag ist unterwegs."),
            )
        else:
            messages.info(
                request,
                _(
                    "Das Treffen ist voll – Sie stehen auf der Warteliste. "
                    "Wir schreiben Ihnen, sobald ein Platz frei wird."
                ),
            )
        return redirect(outcome.url)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RegistrationCancelView(TemplateView):
    """GET shows what will be cancelled; POST cancels. The token is the only credential."""

    template_name = "participation/meetings/registration_cancel.html"

    def get_registration(self):
        return get_object_or_404(
            Registration.objects.select_related("meeting"), cancel_token=self.kwargs["token"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registration"] = self.get_registration()
        context["meeting"] = context["registration"].meeting
        return context

    def post(self, request, *args, **kwargs):
        registration = self.get_registration()
        if registration.status != Registration.Status.CANCELLED:
            registration_cancel(registration=registration)
            messages.success(
                request, _("Sie sind abgemeldet. Danke, dass Sie Bescheid gesagt haben.")
            )
        return redirect(registration.meeting.get_absolute_url())


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    return _ics_response(meetings_calendar([meeting]), f"treffen-{meeting.pk}.ics")


def area_meetings_ics(request, slug):
    area = Area.objects.filter(slug=slug).first()
    if area is None:
        raise Http404
    meetings = (
        Meeting.objects.in_areas(area_tree().descendant_ids(area, with_successors=True))
        .filter(ends_at__gte=timezone.now() - datetime.timedelta(days=365))
        .order_by("starts_at")
    )
    return _ics_response(
        meetings_calendar(meetings, name=_("Treffen in %(area)s") % {"area": area.name}),
        f"treffen-{area.slug}.ics",
    )
