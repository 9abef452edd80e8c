"""Public pages for ideas: list, map, GeoJSON, detail (with comments, support, flags), submit."""

import hashlib
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import _json_script_escapes
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, TemplateView

from neighbourhoods.lookup import areas_bounds, representative_points
from neighbourhoods.models import Area
from quartier import formkeys
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, client_ip, rate_limit_ok

from . import services
from .filters import IdeaFilter
from .forms import CommentForm, FlagForm, IdeaForm, SupportForm, parse_point
from .models import KIND_COLOURS_BY_KIND, Answer, Comment, Idea, IdeaStatus, Support, in_box
from .similar import OWN_CANDIDATES, own_pending_ideas, similar_ideas

PAGE_SIZE = 20
# the ideas this browser sent (a visitor's own pending ones are recognised by them)
OWN_IDEAS_SESSION_KEY = "own_ideas"


def filtered_ideas(request):
    idea_filter = IdeaFilter(request.GET or None, queryset=Idea.objects.listed().for_list())
    if idea_filter.is_bound and not idea_filter.form.is_valid():
        return idea_filter, Idea.objects.none()
    return idea_filter, idea_filter.qs


class IdeaListView(TemplateView):
    template_name = "participation/ideas/list.html"

    def get_context_data(self, **kwargs):
        idea_filter, queryset = filtered_ideas(self.request)
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=idea_filter,
            page_obj=page,
            ideas=page.object_list,
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
            geojson_url=geojson_url,
            map_bounds=",".join(f"{number:.6f}" for number in bounds) if bounds else "",
            **kwargs,
        )


# With a bbox, a box holding more ideas than this is answered with one marker per area.
MAP_CLUSTER_LIMIT = 500


def _parse_bbox(value):
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError
    min_lng, min_lat, max_lng, max_lat = (float(part) for part in parts)
    if not all(abs(number) < 1e9 for number in (min_lng, min_lat, max_lng, max_lat)):
        raise ValueError
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError
    return min_lng, min_lat, max_lng, max_lat


def _in_bbox(bbox, lng, lat):
    return bbox[0] <= lng <= bbox[2] and bbox[1] <= lat <= bbox[3]


def _geojson_response(collection):
    body = json.dumps(collection)
    # escape <, > and & as in json_script, so the data is safe even if someone embeds it
    return HttpResponse(body.translate(_json_script_escapes), content_type="application/json")


def _idea_features(queryset):
    features = []
    # computed once, not per feature: thousands of features fit into a map's view
    url_prefix = reverse("participation:idea-detail", kwargs={"pk": 0})[: -len("0/")]
    status_labels = {value: str(label) for value, label in IdeaStatus.choices}
    rows = queryset.values_list("pk", "title", "kind", "topic__name", "status", "lng", "lat")
    for pk, title, kind, topic, status, lng, lat in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": pk,
                    "title": title,
                    "kind": kind,
                    "topic": topic,
                    "status": status_labels.get(status, status),
                    "url": f"{url_prefix}{pk}/",
                    "colour": KIND_COLOURS_BY_KIND.get(kind, "#1d5b79"),
                },
            }
        )
    return features


def _area_groups(queryset):
    """One row per area: its matching ideas' count and mean position (one GROUP BY query)."""
    return list(
        queryset.order_by()
        .values("area_id", "area__name")
        .annotate(
            count=Count("pk"),
            mean_lng=Avg("lng"),
            mean_lat=Avg("lat"),
        )
        .order_by("area__name", "area_id")
    )


def _cluster_features(request, groups, bbox):
    """A Point per area at the area's representative point — or, when that lies outside the
    box (an area only partly in view) or the area has no boundary, at its ideas' mean position
    — linking to the list of the same ideas in that area."""
    points = representative_points()
    query = request.GET.copy()
    for name in ("bbox", "page", "area"):
        query.pop(name, None)
    list_url = reverse("participation:idea-list")
    features = []
    for group in groups:
        point = points.get(group["area_id"])
        if point is None or not _in_bbox(bbox, *point):
            point = (group["mean_lng"], group["mean_lat"])
        query["area"] = group["area_id"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point[0], 6), round(point[1], 6)],
                },
                "properties": {
                    "cluster": True,
                    "count": group["count"],
                    "area": group["area__name"],
                    "url": f"{list_url}?{query.urlencode()}",
                },
            }
        )
    return features


@require_GET
def ideas_geojson(request):
    """Published ideas with a location; never any personal data.

    Without `bbox`, every located idea (open data and other callers rely on it). With `bbox`
    (what the idea map asks for), only the box's ideas; when the box holds more than
    MAP_CLUSTER_LIMIT of them, one feature per area instead (`"clustered": true`), so a
    zoomed-out map never loads every idea.
    """
    bbox = None
    if request.GET.get("bbox"):
        try:
            bbox = _parse_bbox(request.GET["bbox"])
        except ValueError:
            return HttpResponseBadRequest(
                "bbox must be minLng,minLat,maxLng,maxLat", content_type="text/plain"
            )
    idea_filter, queryset = filtered_ideas(request)
    if idea_filter.is_bound and not idea_filter.form.is_valid():
        return JsonResponse({"error": "invalid filter"}, status=400)
    queryset = queryset.filter(lng__isnull=False, lat__isnull=False)  # a usable point
    if not bbox:
        return _geojson_response(
            {"type": "FeatureCollection", "features": _idea_features(queryset)}
        )
    # in the database, through the index on the stored coordinates: only the box's rows
    queryset = queryset.filter(in_box(*bbox))
    groups = _area_groups(queryset)
    clustered = sum(group["count"] for group in groups) > MAP_CLUSTER_LIMIT
    features = _cluster_features(request, groups, bbox) if clustered else _idea_features(queryset)
    return _geojson_response(
        {"type": "FeatureCollection", "clustered": clustered, "features": features}
    )


def _reporter_key(request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return "ip:" + hashlib.sha256(client_ip(request).encode()).hexdigest()[:40]


class IdeaDetailView(DetailView):
    """An idea with its answers and comments. POST handles comment, support and flag forms;
    a form with errors is shown again with what was typed."""

    template_name = "participation/ideas/detail.html"
    context_object_name = "idea"

    def get_queryset(self):
        return (
            Idea.objects.public()
            .select_related("topic", "area", "author", "duplicate_of")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.order_by("created_at")),
                Prefetch(
                    "comments",
                    queryset=Comment.objects.visible().select_related("author"),
                    to_attr="visible_comments",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        support = None
        if user.is_authenticated:
            support = Support.objects.filter(idea=self.object, user=user).first()
        context = {
            "comment_form": CommentForm(),
            "support_form": SupportForm(initial={"notify": bool(support and support.notify)}),
            "flag_form": FlagForm(),
            "support": support,
        }
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        idea = self.object
        action = request.POST.get("action")
        if action == "comment":
            if not request.user.is_authenticated:
                raise PermissionDenied
            form = CommentForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(comment_form=form), status=400)
            key = form.cleaned_data["form_key"]
            if replay := formkeys.sent_before(request, scope="comment", key=key):
                return replay
            if not rate_limit_ok(request, "idea-comment", limit=20, period=3600):
                form.add_error(None, RATE_LIMIT_MESSAGE)
                return self.render_to_response(self.get_context_data(comment_form=form), status=429)

            def create():
                services.comment_create(
                    idea=idea, user=request.user, text=form.cleaned_data["text"]
                )
                return idea.get_absolute_url() + "#kommentare"

            outcome = formkeys.once(scope="comment", key=key, create=create)
            if outcome.replayed:
                return formkeys.already_sent(request, outcome.url)
            messages.success(request, _("Danke, Ihr Kommentar ist veröffentlicht."))
            return redirect(outcome.url)
        if action in {"support", "unsupport"}:
            if not request.user.is_authenticated:
                raise PermissionDenied
            if action == "support":
                form = SupportForm(request.POST)
                form.is_valid()
                services.support_add(
                    idea=idea, user=request.user, notify=form.cleaned_data.get("notify", False)
                )
                messages.success(request, _("Danke für Ihre Unterstützung."))
            else:
                services.support_remove(idea=idea, user=request.user)
                messages.success(request, _("Ihre Unterstützung ist zurückgenommen."))
            return redirect(idea.get_absolute_url() + "#unterstuetzen")
        if action == "flag":
            form = FlagForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(flag_form=form), status=400)
            if not rate_limit_ok(request, "idea-flag", limit=10, period=3600):
                form.add_error(None, RATE_LIMIT_MESSAGE)
                return self.render_to_response(self.get_context_data(flag_form=form), status=429)
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
            messages.success(
                request, _("Danke für Ihren Hinweis. Das Quartiersteam sieht ihn sich an.")
            )
            return redirect(idea.get_absolute_url())
        return HttpResponseBadRequest()


class IdeaCreateView(FormView):
    template_name = "participation/ideas/create.html"
    form_class = IdeaForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

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
        location = parse_point(request.GET.get("location"))
    except ValidationError:
        location = None
    area = None
    if request.GET.get("area", "").isdigit():
        area = Area.objects.current().filter(pk=int(request.GET["area"])).first()
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
