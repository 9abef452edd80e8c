"""Public pages for ideas: list, map, GeoJSON, detail, submit; one view per form of the idea
page (comment, support, withdraw support, report)."""

import hashlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from neighbourhoods.geometry import clean_point
from neighbourhoods.lookup import areas_bounds
from neighbourhoods.models import Area, area_geometry
from quartier import formkeys, fragments, safejson
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, client_network, rate_limit_ok

from .. import permissions
from ..measures.models import Measure, MeasureStatus, MeasureUpdate
from ..offices.models import Forwarding, Office
from ..surveys.lifeworlds import lifeworld_record
from ..surveys.models import LifeworldChoice, LifeworldQuestion
from ..topics.models import Topic
from . import selectors, services
from .filters import IdeaFilter
from .forms import CommentForm, FlagForm, IdeaForm, SupportForm
from .models import Answer, Comment, Idea, IdeaKind, Support
from .selectors import idea_timeline
from .similar import OWN_CANDIDATES, own_pending_ideas, similar_ideas

PAGE_SIZE = 20
# what the list's count depends on: the ideas themselves (any area), topics, the area tree
LIST_SCOPES = ("model:participation.idea", "model:participation.topic", "app:neighbourhoods")
# the ideas this browser sent (a visitor's own pending ones are recognised by them)
OWN_IDEAS_SESSION_KEY = "own_ideas"


# what the filter form shows besides what was asked: the areas and the topics to choose from
FILTER_SCOPES = ("app:neighbourhoods", "model:participation.topic")


def filter_html(idea_filter):
    """The filter form, kept per choice of filters (quartier.fragments.filter_form_html)."""
    return fragments.filter_form_html(
        "ideas", idea_filter, "participation/ideas/_filter.html", FILTER_SCOPES
    )


def filtered_ideas(request, *, besides=("page",)):
    """(the filter, its ideas) for the request's filter parameters (`besides` choose no
    filter: the page, a map's box). The filter is built only when one is chosen or its form
    is shown (fragments.LazyFilterSet)."""
    idea_filter = _idea_filter(request, besides)
    return idea_filter, _ideas_of(idea_filter)


def _idea_filter(request, besides):
    # request.GET itself, not a copy: the page cache learns from it which names the page reads
    data = request.GET if any(name not in besides for name in request.GET) else None
    return fragments.LazyFilterSet(
        data,
        lambda data: IdeaFilter(data, queryset=Idea.objects.listed().for_list()),
        choices=("ideas", FILTER_SCOPES),
    )


def _ideas_of(idea_filter):
    if not idea_filter.is_bound:
        return IdeaFilter.unfiltered(Idea.objects.listed().for_list())
    if not idea_filter.form.is_valid():
        return Idea.objects.none()
    return idea_filter.qs


# what a page of the list shows: its ideas (a write in any area: the idea, a support, a comment,
# an answer), the topics and the areas' names
RESULT_SCOPES = (fragments.ANY_AREA, *LIST_SCOPES, *selectors.CARD_SCOPES)


class IdeaListView(TemplateView):
    """The list of ideas. Its count and each page's cards are kept (per filters and page) until
    they change; a page whose parts are all kept reads no row and builds no filter form."""

    template_name = "participation/ideas/list.html"

    def get_context_data(self, **kwargs):
        idea_filter = _idea_filter(self.request, ("page",))
        # the ideas' query is built only when something is not kept
        ideas = SimpleLazyObject(lambda: _ideas_of(idea_filter))
        key = fragments.list_key("ideas", fragments.chosen_filters(idea_filter))
        # (a text search or a form with errors: counted each time, no entry per typed text)
        count = (
            ideas.count()
            if key is None
            else fragments.kept_count(key, LIST_SCOPES, lambda: ideas.count())
        )
        # the page's number as Django's paginator reads it (a wrong one: the first or the last)
        page = Paginator(range(count), PAGE_SIZE).get_page(self.request.GET.get("page"))
        offset = (page.number - 1) * PAGE_SIZE

        def cards():
            return selectors.idea_cards(ideas[offset : offset + PAGE_SIZE])

        if key is None:
            page_cards = cards()
        else:
            digest = hashlib.sha256(repr((key, page.number)).encode()).hexdigest()
            page_cards = fragments.cached(f"idea-results:{digest}", RESULT_SCOPES, cards)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=idea_filter,
            filter_html=filter_html(idea_filter),
            page_obj=page,
            # the page's ideas themselves, read only if asked for (the cards are their HTML)
            ideas=SimpleLazyObject(lambda: list(ideas[offset : offset + PAGE_SIZE])),
            cards=page_cards,
            querystring=query.urlencode(),
            **kwargs,
        )


class IdeaMapView(TemplateView):
    template_name = "participation/ideas/map.html"

    def get_context_data(self, **kwargs):
        idea_filter = IdeaFilter(self.request.GET or None, queryset=Idea.objects.none())
        query = self.request.GET.urlencode()
        geojson_url = reverse("participation:ideas-geojson") + (f"?{query}" if query else "")
        area = None
        if idea_filter.is_bound and idea_filter.form.is_valid():
            area = idea_filter.form.cleaned_data.get("area")
        # the map opens on the chosen area (or the whole city) and then loads what it shows
        bounds = (area and areas_bounds([area.pk])) or areas_bounds()
        return super().get_context_data(
            filter=idea_filter,
            filter_html=filter_html(idea_filter),
            geojson_url=geojson_url,
            map_bounds=",".join(f"{number:.6f}" for number in bounds) if bounds else "",
            **kwargs,
        )


def _geojson_response(collection):
    return HttpResponse(safejson.dumps(collection), content_type="application/json")


@require_GET
def ideas_geojson(request):
    """Published ideas with a location; never any personal data.

    Without `bbox`, every located idea (open data and other callers rely on it). With `bbox`
    (what the idea map asks for), only the box's ideas; when the box holds more than
    `selectors.MAP_CLUSTER_LIMIT` of them, one feature per area instead (`"clustered": true`),
    so a zoomed-out map never loads every idea.
    """
    bbox = None
    if request.GET.get("bbox"):
        try:
            bbox = selectors.parse_bbox(request.GET["bbox"])
        except ValueError:
            return HttpResponseBadRequest(
                "bbox must be minLng,minLat,maxLng,maxLat", content_type="text/plain"
            )
    idea_filter, queryset = filtered_ideas(request, besides=("page", "bbox"))
    if idea_filter.is_bound and not idea_filter.form.is_valid():
        return JsonResponse({"error": "invalid filter"}, status=400)
    if not bbox:
        features = selectors.map_idea_features(queryset)
        return _geojson_response({"type": "FeatureCollection", "features": features})
    list_query = request.GET.copy()
    for name in ("bbox", "page", "area"):
        list_query.pop(name, None)
    clustered, features = selectors.map_features_in_box(
        queryset,
        bbox,
        list_query=list_query,
        keep=not request.GET.get("q"),
        plain=not idea_filter.is_bound,
    )
    return _geojson_response(
        {"type": "FeatureCollection", "clustered": clustered, "features": features}
    )


class IdeaDetailView(DetailView):
    """An idea with its answers and comments. Its forms post to the action views below; a form
    with errors comes back on this page with what was typed."""

    template_name = "participation/ideas/detail.html"
    context_object_name = "idea"

    def get_queryset(self):
        # what the page shows around its kept parts (idea_page_parts), and what decides a 404
        return Idea.objects.public().only(
            "pk", "title", "area_id", "location", "support_count", "status", "duplicate_of_id"
        )

    def get_object(self, queryset=None):
        """The idea's row, kept until it changes (or a row pointing to it: a support, a hide
        logged by the moderation) or the areas do (a split moves ideas without a signal):
        building its query cost as much as the rest of the page. An id that is not public is
        looked up each time (nothing is kept)."""
        find = super().get_object
        pk = self.kwargs[self.pk_url_kwarg]
        return fragments.cached(
            f"idea-row:{pk}",
            (fragments.idea_scope(pk), fragments.app_scope("neighbourhoods")),
            lambda: find(queryset),
            per_language=False,
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        support = None
        if user.is_authenticated:
            support = Support.objects.filter(idea=self.object, user=user).first()
        # a blank support form (kept) unless the person wants news of the idea already
        notify = {"notify": True} if support and support.notify else None
        context = {
            "comment_form": CommentForm(),
            "support_form": SupportForm(initial=notify),
            "flag_form": FlagForm(),
            "support": support,
            "parts": idea_page_parts(self.object, self.request),
        }
        context.update(kwargs)
        for name in ("comment", "support", "flag"):
            context[f"{name}_fields"] = fragments.blank_form_html(context[f"{name}_form"])
        return super().get_context_data(**context)


# what the idea page's kept parts show besides its area's rows (idea, answers, comments): the
# team's measures and requests to offices, topics, area names, the commenters' names
IDEA_PAGE_SCOPES = (
    *(
        fragments.model_scope(model)
        for model in (Measure, MeasureUpdate, Forwarding, Office, Topic, get_user_model())
    ),
    fragments.app_scope("neighbourhoods"),
)


def idea_page_parts(idea, request):
    """The idea page's parts that are the same for everybody (the idea, what became of it, its
    comments), kept under the versions of the idea itself and IDEA_PAGE_SCOPES: a page that
    misses the cache reads one row, not the idea's whole history, and a write about another
    idea of the same area leaves them kept."""

    def build():
        full = (
            Idea.objects.filter(pk=idea.pk)
            .select_related("topic", "area", "author", "duplicate_of")
            .defer(*area_geometry("area"))
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.order_by("created_at")),
                Prefetch(
                    "measures",
                    queryset=Measure.objects.published()
                    .only("pk", "title", "status", "progress", "created_at")
                    .prefetch_related(
                        Prefetch(
                            "updates",
                            queryset=MeasureUpdate.objects.filter(
                                status=MeasureStatus.COMPLETED
                            ).only("pk", "measure_id", "created_at"),
                            to_attr="completions",
                        )
                    ),
                ),
                Prefetch(
                    "forwardings",
                    queryset=Forwarding.objects.filter(withdrawn_at__isnull=True)
                    .select_related("office")
                    .order_by("created_at"),
                ),
                Prefetch(
                    "comments",
                    queryset=Comment.objects.visible().select_related("author"),
                    to_attr="visible_comments",
                ),
            )
            .get()
        )
        context = {"idea": full, "timeline": idea_timeline(full)}
        return {
            part: fragments.render_with_forms(
                f"participation/ideas/_detail_{part}.html", context, request
            )
            for part in ("body", "answers", "comments")
        }

    # the idea's own scope (its row and the rows pointing to it), and the original's for a
    # merged duplicate (its page links to it by title)
    ideas = {idea.pk, getattr(idea, "duplicate_of_id", None)} - {None}
    scopes = (*(fragments.idea_scope(pk) for pk in sorted(ideas)), *IDEA_PAGE_SCOPES)
    parts = fragments.cached(f"idea-page:{idea.pk}", scopes, build)
    return {part: fragments.with_csrf_token(html, request) for part, html in parts.items()}


class IdeaActionView(SingleObjectMixin, View):
    """One form of the idea page (POST only), for public ideas only (others: 404).

    `permission` decides who may send it (a refusal is 403); on success the view redirects
    back to the idea with a message; a form with errors is shown on the idea page again.
    """

    http_method_names = ["post"]
    permission = None  # a predicate of participation.permissions: (user, idea) -> bool

    def get_queryset(self):
        return Idea.objects.public()

    def post(self, request, *args, **kwargs):
        self.object = idea = self.get_object()
        if self.permission is not None and not self.permission(request.user, idea):
            raise PermissionDenied
        return self.act(request, idea)

    def act(self, request, idea):
        raise NotImplementedError

    def back(self, message, anchor=""):
        messages.success(self.request, message)
        return redirect(self.object.get_absolute_url() + anchor)

    def idea_page(self, *, status, **forms):
        """The idea page with the given forms (bound, with their errors) in place."""
        page = IdeaDetailView(request=self.request, args=self.args, kwargs=self.kwargs)
        page.object = page.get_object()
        return page.render_to_response(page.get_context_data(**forms), status=status)


class IdeaCommentView(IdeaActionView):
    """Comment: accounts only; 20 comments an hour per address and per account."""

    permission = staticmethod(permissions.can_comment)

    def act(self, request, idea):
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.idea_page(comment_form=form, status=400)
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="comment", key=key):
            return replay
        if not rate_limit_ok(
            request, "idea-comment", limit=20, period=3600, keys=[f"user:{request.user.pk}"]
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.idea_page(comment_form=form, status=429)

        def create():
            services.comment_create(
                idea=idea,
                user=request.user,
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
            )
            return idea.get_absolute_url() + "#kommentare"

        outcome = formkeys.once(scope="comment", key=key, create=create)
        if outcome.replayed:
            return formkeys.already_sent(request, outcome.url)
        return self.back(_("Danke, Ihr Kommentar ist veröffentlicht."), "#kommentare")


class IdeaSupportView(IdeaActionView):
    """Support: accounts only; once per account and idea — sending it again only changes
    whether news are mailed (no rate limit needed)."""

    permission = staticmethod(permissions.can_support)

    def act(self, request, idea):
        form = SupportForm(request.POST)
        notify = form.cleaned_data["notify"] if form.is_valid() else False
        services.support_add(idea=idea, user=request.user, notify=notify)
        return self.back(_("Danke für Ihre Unterstützung."), "#unterstuetzen")


class IdeaUnsupportView(IdeaActionView):
    """Withdraw one's support: accounts only; withdrawing twice changes nothing."""

    permission = staticmethod(permissions.can_support)

    def act(self, request, idea):
        services.support_remove(idea=idea, user=request.user)
        return self.back(_("Ihre Unterstützung ist zurückgenommen."), "#unterstuetzen")


def _reporter_key(request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return "ip:" + hashlib.sha256(client_network(request).encode()).hexdigest()[:40]


class IdeaFlagView(IdeaActionView):
    """Report the idea or one of its visible comments: anyone (visitors too, with a honeypot);
    10 reports an hour per address; one person counts once per idea or comment."""

    permission = staticmethod(permissions.can_flag)

    def act(self, request, idea):
        form = FlagForm(request.POST)
        if not form.is_valid():
            return self.idea_page(flag_form=form, status=400)
        if not rate_limit_ok(request, "idea-flag", limit=10, period=3600):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.idea_page(flag_form=form, status=429)
        comment = None
        if form.cleaned_data.get("comment"):
            comment = get_object_or_404(
                Comment.objects.visible(), pk=form.cleaned_data["comment"], idea=idea
            )
        services.flag_create(
            idea=idea,
            comment=comment,
            user=request.user,
            reporter_key=_reporter_key(request),
            reason=form.cleaned_data["reason"],
        )
        return self.back(_("Danke für Ihren Hinweis. Das Quartiersteam sieht ihn sich an."))


# what the blank idea form offers: areas, topics, the Lebenswelten questions
CREATE_FORM_SCOPES = (
    fragments.app_scope("neighbourhoods"),
    *(fragments.model_scope(model) for model in (Topic, LifeworldQuestion, LifeworldChoice)),
)


class IdeaCreateView(FormView):
    template_name = "participation/ideas/create.html"
    form_class = IdeaForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        # "Eigenen Beitrag einbringen" on an area page passes the area: ?gebiet=<slug>; a
        # paper card's QR code the kind too: ?art=strength
        slug = self.request.GET.get("gebiet", "")[:100]
        area = Area.objects.current().filter(slug=slug).first() if slug else None
        initial = {"area": area} if area else {}
        if (kind := self.request.GET.get("art", "")) in IdeaKind.values:
            initial["kind"] = kind
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("similar_step"):
            context["fields_html"] = fragments.blank_form_html(
                context["form"],
                "participation/ideas/_create_fields.html",
                scopes=CREATE_FORM_SCOPES,
                variant="account" if self.request.user.is_authenticated else "visitor",
                request=self.request,
            )
        return context

    def form_invalid(self, form):
        form.add_photo_lost_hint()
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        request = self.request
        user = request.user if request.user.is_authenticated else None
        key = data["form_key"]
        if replay := formkeys.sent_before(request, scope="idea", key=key):
            return replay
        if not data.get("confirm_new"):
            own_pending = own_pending_ideas(
                title=data["title"],
                text=data["text"],
                user=user,
                idea_ids=request.session.get(OWN_IDEAS_SESSION_KEY, []),
            )
            similar = similar_ideas(
                title=data["title"],
                text=data["text"],
                area=data.get("area"),
                location=data.get("location"),
            )
            if similar or own_pending:
                # the step without JavaScript: show look-alikes, keep everything typed
                form.add_photo_lost_hint()
                return self.render_to_response(
                    self.get_context_data(
                        form=form, similar=similar, own_pending=own_pending, similar_step=True
                    )
                )
        email = "" if user else data["author_email"]
        if not rate_limit_ok(request, "idea-submit", limit=5, period=3600, keys=[email]):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)
        created = []

        def create():
            created.append(
                services.idea_submit(
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    language=data["language"],
                    topic=data["topic"],
                    location=data.get("location"),
                    area=data.get("area"),
                    photo=data.get("photo"),
                    photo_alt=data.get("photo_alt", ""),
                    user=user,
                    author_name="" if user else data["author_name"],
                    author_email=email,
                )
            )
            lifeworld_record(area=created[-1].area, choices=form.lifeworld_choices())
            return reverse("participation:idea-thanks")

        try:
            outcome = formkeys.once(scope="idea", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error, field="photo" if data.get("photo") else None)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(request, outcome.url)
        if user:
            messages.success(
                request,
                _(
                    "Danke! Ihr Beitrag ist eingegangen. Das Quartiersteam prüft ihn und "
                    "veröffentlicht ihn dann."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "Danke! Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihren "
                    "Beitrag über den Link darin (innerhalb von 7 Tagen)."
                ),
            )
        idea = created[0]
        request.session["last_idea"] = idea.pk
        own = request.session.get(OWN_IDEAS_SESSION_KEY, [])
        request.session[OWN_IDEAS_SESSION_KEY] = [*own, idea.pk][-OWN_CANDIDATES:]
        return redirect(outcome.url)


@require_GET
def similar_ideas_fragment(request):
    """A small HTML list of look-alikes for the submit form's script (empty when none)."""
    try:
        location = clean_point(request.GET.get("location"))
    except ValidationError:
        location = None
    area = None
    if request.GET.get("area", "").isdigit():
        area = Area.objects.current().without_geometry().filter(pk=int(request.GET["area"])).first()
    similar = similar_ideas(
        title=request.GET.get("title", "")[:160],
        text=request.GET.get("text", "")[:5000],
        area=area,
        location=location,
    )
    return render(request, "participation/ideas/_similar.html", {"similar": similar})


class IdeaThanksView(TemplateView):
    template_name = "participation/ideas/thanks.html"


class IdeaConfirmView(TemplateView):
    template_name = "participation/ideas/confirm.html"

    def get(self, request, token):
        idea = services.idea_confirm(token=token)
        return render(request, self.template_name, {"idea": idea}, status=200 if idea else 400)
