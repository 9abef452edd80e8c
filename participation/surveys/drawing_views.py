"""'Mein Quartier' pages: draw your neighbourhood, the density map, the grid as GeoJSON, and the
proposed boundaries for staff."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from neighbourhoods.permissions import areas_managed_by, is_area_staff
from quartier import formkeys
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from .drawings import ALREADY_DRAWN, common_names, drawing_create, proposed_boundaries
from .forms import DrawingForm
from .models import min_answers

COOKIE = "quartier_mein_quartier"
COOKIE_SALT = "participation.socialspace"


def _drawn_this_year(request):
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        return False
    return value == str(timezone.localdate().year)


class DrawingView(FormView):
    template_name = "participation/surveys/drawing.html"
    form_class = DrawingForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drawn"] = self.request.GET.get("danke") or _drawn_this_year(self.request)
        return context

    def form_valid(self, form):
        request = self.request
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="drawing", key=key):
            return self._remember(replay)
        if not request.user.is_authenticated and _drawn_this_year(request):
            form.add_error(None, ALREADY_DRAWN)
            return self.form_invalid(form)
        if not request.user.is_authenticated and not rate_limit_ok(
            request,
            "socialspace-drawing",
            limit=settings.SURVEY_ANSWERS_PER_NETWORK,
            period=86400 * 30,
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)

        def create():
            drawing_create(
                boundary=form.cleaned_data["boundary"],
                name=form.cleaned_data["name"],
                ties=form.cleaned_data["ties"],
                identifies_with=form.cleaned_data["identifies_with"],
                user=request.user,
            )
            return request.path + "?danke=1"

        try:
            outcome = formkeys.once(scope="drawing", key=key, create=create)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        if outcome.replayed:
            return self._remember(formkeys.already_sent(request, outcome.url))
        messages.success(request, _("Danke! Ihr Viertel ist eingezeichnet."))
        return self._remember(redirect(outcome.url))

    def _remember(self, response):
        response.set_signed_cookie(
            COOKIE,
            str(timezone.localdate().year),
            salt=COOKIE_SALT,
            max_age=60 * 60 * 24 * 400,
            httponly=True,
            samesite="Lax",
            secure=self.request.is_secure(),
        )
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DensityMapView(TemplateView):
    template_name = "participation/surveys/density_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        quarters = []
        if is_area_staff(user):
            quarters = list(
                areas_managed_by(user)
                .filter(parent__isnull=True)
                .without_geometry()
                .order_by("name")
            )
        context.update(
            names=common_names(),
            min_answers=min_answers(),
            quarters=quarters,
        )
        return context


@require_GET
def density_geojson(request):
    from .drawings import density_grid

    response = JsonResponse(density_grid(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def proposal_geojson(request, slug):
    """Proposed boundaries in a quarter, for its managers and coordination: a FeatureCollection
    with a `name` per feature, the file the area split screen takes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_area_staff(request.user):
        raise PermissionDenied
    quarter = get_object_or_404(
        areas_managed_by(request.user).filter(parent__isnull=True), slug=slug
    )
    data = proposed_boundaries(quarter)
    if request.GET.get("karte"):
        data = _over_todays_areas(quarter, data)
    response = HttpResponse(json.dumps(data), content_type="application/geo+json")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="vorschlag-{quarter.slug}.geojson"'
    return response


PROPOSAL_COLOUR = "#b45309"


def _over_todays_areas(quarter, proposal):
    """For the staff map: today's areas of the quarter (outlines), the proposal over them."""
    from neighbourhoods.geojson_io import area_feature
    from neighbourhoods.models import Area
    from neighbourhoods.selectors import area_tree

    ids = area_tree().descendant_ids(quarter, with_successors=False)
    areas = Area.objects.current().filter(pk__in=ids).exclude(boundary__isnull=True)
    features = []
    for area in areas.order_by("parent_id", "name"):
        feature = area_feature(area)
        feature["properties"].update(fillOpacity=0.02, summary=area.name)
        features.append(feature)
    for feature in proposal["features"]:
        properties = feature["properties"]
        properties.update(
            colour=PROPOSAL_COLOUR,
            fillOpacity=0.35,
            summary=str(_("Vorschlag: %(name)s") % {"name": properties["name"]}),
        )
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}
