"""Widgets for other websites (the city's own): small standalone pages under /einbetten/,
framable by the origins in EMBED_ORIGINS only (quartier.embeds), every link opening the portal
in a new window. The back office's snippet generator writes the <iframe> for them."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from neighbourhoods.models import Area
from neighbourhoods.permissions import areas_managed_by
from neighbourhoods.selectors import area_tree
from participation import permissions
from participation.ideas.models import Idea
from participation.meetings.sections import upcoming_meetings
from quartier.embeds import embeddable

from .svgmap import area_svg

NEWEST = 5
MEETINGS = 5
MAP_POINTS = 200

WIDGETS = {
    "beitraege": _("Neueste Beiträge"),
    "treffen": _("Nächste Treffen"),
    "karte": _("Karte des Gebiets"),
    "idee": _("Knopf „Idee einbringen“"),
}
# the heading each widget shows
HEADINGS = {
    "beitraege": _("Neueste Beiträge"),
    "treffen": _("Nächste Treffen"),
    "karte": _("Beiträge auf der Karte"),
    "idee": _("Mitmachen"),
}
# width × height in pixels offered by the snippet generator
SIZES = {"klein": (300, 250), "mittel": (400, 400), "gross": (600, 500)}


def _area(slug):
    return get_object_or_404(Area.objects.current().without_geometry(), slug=slug)


def _render(request, widget, area, **context):
    return render(
        request,
        f"participation/embeds/{widget}.html",
        {"area": area, "widget_title": HEADINGS[widget], **context},
    )


@require_GET
@embeddable
def newest_widget(request, slug):
    area = _area(slug)
    area_ids = area_tree().descendant_ids(area, with_successors=False)
    ideas = Idea.objects.listed().in_areas(area_ids).for_list().order_by("-created_at", "-pk")
    return _render(request, "beitraege", area, ideas=list(ideas[:NEWEST]))


@require_GET
@embeddable
def meetings_widget(request, slug):
    area = _area(slug)
    area_ids = area_tree().descendant_ids(area, with_successors=False)
    return _render(request, "treffen", area, meetings=upcoming_meetings(area_ids, limit=MEETINGS))


@require_GET
@embeddable
def map_widget(request, slug):
    area = get_object_or_404(
        Area.objects.current().only("pk", "name", "slug", "boundary", "boundary_display"),
        slug=slug,
    )
    area_ids = area_tree().descendant_ids(area, with_successors=False)
    ideas = (
        Idea.objects.listed()
        .in_areas(area_ids)
        .filter(location__isnull=False)
        .only("pk", "kind", "location")
        .order_by("-created_at", "-pk")[:MAP_POINTS]
    )
    points = [(*idea.location["coordinates"][:2], idea.colour) for idea in ideas]
    return _render(
        request, "karte", area, picture=area_svg(area.boundary_display or area.boundary, points)
    )


@require_GET
@embeddable
def button_widget(request, slug):
    return _render(request, "idee", _area(slug))


WIDGET_VIEWS = {
    "beitraege": "participation:embed-newest",
    "treffen": "participation:embed-meetings",
    "karte": "participation:embed-map",
    "idee": "participation:embed-button",
}


class SnippetForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Gebiet"), queryset=Area.objects.none())
    widget = forms.ChoiceField(label=_("Baustein"), choices=list(WIDGETS.items()))
    language = forms.ChoiceField(label=_("Sprache"), choices=())
    size = forms.ChoiceField(
        label=_("Größe"),
        choices=[(name, f"{width} × {height} px") for name, (width, height) in SIZES.items()],
        initial="mittel",
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["language"].choices = list(settings.LANGUAGES)


def widget_url(request, *, area, widget, language):
    with translation.override(language):
        path = reverse(WIDGET_VIEWS[widget], args=[area.slug])
    return request.build_absolute_uri(path)


def snippet_view(request, admin_site):
    """Back office: staff pick area, widget, language and size and copy the <iframe>."""
    if not permissions.can_work_in_admin(request.user):
        raise PermissionDenied
    areas = areas_managed_by(request.user).current().without_geometry().order_by("name")
    bound = "widget" in request.GET  # the area's admin page links here with ?area=<id> only
    initial = {"area": request.GET.get("area"), "language": translation.get_language()}
    form = SnippetForm(request.GET if bound else None, areas=areas, initial=initial)
    snippet = url = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        url = widget_url(
            request, area=data["area"], widget=data["widget"], language=data["language"]
        )
        width, height = SIZES[data["size"]]
        with translation.override(data["language"]):
            title = f"{WIDGETS[data['widget']]} – {data['area'].name}"
        snippet = format_html(
            '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
            'style="border:0"></iframe>',
            url,
            title,
            width,
            height,
        )
    context = {
        **admin_site.each_context(request),
        "title": _("Bausteine für andere Websites"),
        "form": form,
        "snippet": snippet,
        "widget_url": url,
        "embed_origins": settings.EMBED_ORIGINS,
    }
    return TemplateResponse(request, "admin/participation/embed_snippet.html", context)
