import hashlib
import math

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView

from quartier import fragments

from .addresses.selectors import find as find_address
from .geojson_io import area_feature, feature_collection
from .lookup import area_id_for_point
from .models import GEOMETRY_FIELDS, Area
from .registry import area_section_registry
from .selectors import area_tree, current_tree, current_with_boundaries

PROFILE_FIELDS = [
    "profile_topics",
    "profile_identification",
    "profile_lifeworlds",
    "profile_quality",
    "profile_cooperation",
]


class AreaListView(TemplateView):
    """All current quarters on a map and as a nested list (the map's text alternative)."""

    template_name = "neighbourhoods/area_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # the same for everyone until an area changes (or the day: which areas are current)
        context["content_html"] = fragments.cached(
            f"area-list:{timezone.localdate()}",
            [fragments.app_scope("neighbourhoods")],
            lambda: render_to_string(
                "neighbourhoods/_area_list_content.html", self.list_context(), self.request
            ),
        )
        return context

    @staticmethod
    def list_context():
        return {
            "tree": current_tree(),
            "former_areas": (
                Area.objects.exclude(pk__in=Area.objects.current().values("pk"))
                .defer(*GEOMETRY_FIELDS)
                .order_by("-valid_until", "name")
            ),
        }


class AreaDetailView(DetailView):
    model = Area
    template_name = "neighbourhoods/area_detail.html"
    context_object_name = "area"

    def get_queryset(self):
        # the map's boundaries and the profile texts are read only when the head is rendered
        return Area.objects.select_related("parent").defer(
            "boundary", "boundary_display", "parent__boundary", "parent__boundary_display"
        )

    def get_object(self, queryset=None):
        """The area's row, kept until an area changes (building its query cost more than the
        page's kept sections); an unknown slug is looked up each time (nothing is kept)."""
        slug = self.kwargs[self.slug_url_kwarg]
        digest = hashlib.sha256(slug.encode()).hexdigest()
        find = super().get_object
        return fragments.cached(
            f"area-row:{digest}",
            [fragments.app_scope("neighbourhoods")],
            lambda: find(queryset),
            per_language=False,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object
        # One scope for every figure on the page: the area and the areas below it. A retired
        # area's page is its history: only the sections registered for it (on_retired).
        area_ids = area_tree().descendant_ids(area, with_successors=False)
        # The head (names, dates, history, the map, the profile) changes only with the areas.
        context["head_html"], context["has_map"] = fragments.cached(
            f"area-head:{area.pk}:{timezone.localdate()}",
            [fragments.app_scope("neighbourhoods")],
            lambda: self.render_head(area),
        )
        context["sections"] = area_section_registry.render(
            area, area_ids, request=self.request, current=area.is_current
        )
        return context

    def render_head(self, area):
        """(HTML, whether it holds a map) of the page's head."""
        context = self.head_context(area)
        html = render_to_string("neighbourhoods/_area_head.html", context, self.request)
        return html, "boundary_geojson" in context

    @staticmethod
    def head_context(area):
        children = list(area.children.current().defer("boundary").order_by("name"))
        context = {
            "area": area,
            "children": children,
            "predecessors": list(area.predecessors.order_by("name")),
            "successors": list(area.successors.order_by("name")),
            "is_history": not area.is_current and area.valid_until is not None,
            "profile": [
                (Area._meta.get_field(name).verbose_name, getattr(area, name))
                for name in PROFILE_FIELDS
                if getattr(area, name).strip()
            ],
        }
        if area.boundary_display:
            features = [area_feature(area)] + [
                area_feature(child, url=child.get_absolute_url())
                for child in children
                if child.boundary_display
            ]
            context["boundary_geojson"] = feature_collection(features)
        return context


class AreaEasyLanguageView(TemplateView):
    """An area explained in Leichte Sprache ("easy-to-read German"), shown like the portal's
    own page in Leichte Sprache; staff write it in the area's admin."""

    template_name = "legal/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = get_object_or_404(
            Area.objects.only("name", "slug", "easy_language", "easy_language_updated_on"),
            slug=self.kwargs["slug"],
        )
        if not area.easy_language.strip():
            raise Http404
        context["area"] = area
        context["page"] = {
            "key": "leichte-sprache",
            "title": f"{area.name} in Leichter Sprache",  # German only, like the page's text
            "body": area.easy_language,
            "updated_at": area.easy_language_updated_on,
        }
        return context


def _coordinate(value, low, high):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return number


class AreaFindView(View):
    """Find one's area: by address (`?adresse=Marktstraße 5`), by point (`?lat=…&lng=…`, what a
    click on the map sends), or — without parameters — the search form and the map."""

    template_name = "neighbourhoods/area_find.html"

    def get(self, request):
        if "adresse" in request.GET:
            return self.by_address(request, request.GET["adresse"])
        if "lat" not in request.GET and "lng" not in request.GET:
            return render(request, self.template_name, {})
        lat = _coordinate(request.GET.get("lat"), -90, 90)
        lng = _coordinate(request.GET.get("lng"), -180, 180)
        if lat is None or lng is None:
            return render(
                request,
                self.template_name,
                {
                    "error": _(
                        "Der Ort konnte nicht gelesen werden. Bitte eine Stelle auf der Karte "
                        "anklicken oder Breitengrad (lat, -90 bis 90) und Längengrad (lng, "
                        "-180 bis 180) als Zahlen angeben."
                    )
                },
                status=400,
            )
        area_id = area_id_for_point(lng, lat)
        if area_id is not None:
            area = Area.objects.filter(pk=area_id).only("slug").first()
            if area is not None:
                return redirect(area.get_absolute_url())
        return render(request, self.template_name, {"outside": True})

    def by_address(self, request, text):
        found = find_address(text)
        context = {"address": found.query.text, "found": found}
        if not found.query:
            context["address_error"] = _("Bitte geben Sie eine Straße und Hausnummer ein.")
            return render(request, self.template_name, context)
        if found.point is None:
            return render(request, self.template_name, context)
        if found.area is None:
            context["outside"] = True
            return render(request, self.template_name, context)
        if found.approximate:
            text = _("%(address)s (Hausnummer ohne Zusatz) liegt in: %(area)s.")
        else:
            text = _("%(address)s liegt in: %(area)s.")
        messages.success(request, text % {"address": found.label, "area": found.area["name"]})
        return redirect(found.area["url"])


@require_GET
def areas_geojson(request):
    """Current boundaries for the maps: name, slug, kind, colour and url per feature."""

    def build():
        data = feature_collection(
            area_feature(area, url=area.get_absolute_url()) for area in current_with_boundaries()
        )
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False}).content

    content = fragments.cached(
        f"areas-geojson:{timezone.localdate()}", [fragments.app_scope("neighbourhoods")], build
    )
    return HttpResponse(content, content_type="application/json")


@require_GET
def area_geojson(request, slug):
    area = get_object_or_404(Area.objects.defer("boundary"), slug=slug)
    if not area.boundary_display:
        raise Http404
    return JsonResponse(area_feature(area, url=area.get_absolute_url()))
