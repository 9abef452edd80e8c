import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.text import PlainTextFormMixin

from .geojson_io import read_feature_collection
from .geometry import (
    POINT_INVALID_MESSAGE,
    clean_boundary,
    clean_point,
    load_json,
    max_vertices,
    parse_point,
    point_lng_lat,
)
from .maps import draw_texts
from .models import Area

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class BoundaryWidget(forms.Textarea):
    """A GeoJSON textarea with a Leaflet.draw map above it (static/js/maps.js,
    `data-boundary-input`). Without JavaScript the textarea alone works."""

    template_name = "neighbourhoods/widgets/boundary.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 6, "class": "boundary-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["needs_consent"] = bool(settings.MAP_TILES_ORIGIN)
        context["tiles_origin"] = settings.MAP_TILES_ORIGIN
        context["max_vertices"] = f"{max_vertices():,}".replace(",", ".")
        context["draw_texts"] = draw_texts()
        context["areas_url"] = reverse("neighbourhoods:areas-geojson")
        return context

    def format_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return super().format_value(value)


MAP_MEDIA_JS = [
    "leaflet/leaflet.js",
    "leaflet/draw/leaflet.draw.js",
    "js/maps.js",
]
MAP_MEDIA_CSS = {
    "all": [
        "leaflet/leaflet.css",
        "leaflet/draw/leaflet.draw.css",
        "css/neighbourhoods-admin.css",
    ]
}


def widget_map_config():
    """The map configuration for a widget's map (maps.js reads it by `data-map-config`), the
    same keys as the pages' MAP_CONFIG. Without a request a tile server with an origin counts
    as foreign, so tiles wait for consent (the area outlines are drawn anyway)."""
    origin = settings.MAP_TILES_ORIGIN
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "tilesOrigin": origin,
        "needsConsent": bool(origin),
        "center": list(settings.MAP_CENTER),
        "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
    }


class PointWidget(forms.Widget):
    """The point picker: a hidden GeoJSON input, a map (click or drag the marker), latitude and
    longitude number fields (the keyboard and no-JavaScript way) and "remove point".

    The number fields win when they are posted (they are what the person sees; the map keeps
    them in step); a post with only the hidden input (an API-like client, old tests) uses it.
    Above the map an address search (static/js/address-search.js) places the point through
    `window.QuartierMaps.setPoint(inputId, lng, lat)` (maps.js).
    """

    template_name = "neighbourhoods/widgets/point.html"

    class Media:
        css = MAP_MEDIA_CSS
        js = [*MAP_MEDIA_JS, "js/address-search.js"]

    def format_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return value or ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lng_lat = None
        if isinstance(value, dict):
            lng_lat = point_lng_lat(value)
        elif isinstance(value, str) and value.strip():
            try:
                lng_lat = parse_point(value)
            except ValidationError:
                lng_lat = None
        context["lat"] = f"{lng_lat[1]:.6f}" if lng_lat else ""
        context["lng"] = f"{lng_lat[0]:.6f}" if lng_lat else ""
        context["map_config"] = widget_map_config()
        context["map_config_id"] = f"{context['widget']['attrs']['id']}_config"
        context["areas_url"] = reverse("neighbourhoods:areas-geojson")
        return context

    def value_from_datadict(self, data, files, name):
        lat, lng = data.get(f"{name}_lat"), data.get(f"{name}_lng")
        if lat is None and lng is None:
            return data.get(name)
        lat, lng = (lat or "").strip().replace(",", "."), (lng or "").strip().replace(",", ".")
        if not lat and not lng:
            return ""
        try:
            return {"type": "Point", "coordinates": [float(lng), float(lat)]}
        except ValueError:
            return "invalid"  # PointField answers with its one message

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_lat" not in data


class GeoJSONField(forms.Field):
    """A form field whose value is a GeoJSON dict, shown and posted as JSON text."""

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class BoundaryField(GeoJSONField):
    widget = BoundaryWidget

    def to_python(self, value):
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            return None
        return clean_boundary(value)


class PointField(GeoJSONField):
    """The one form field for a point: a GeoJSON Point, usually from a map's hidden input.

    Every form that takes a point uses it, so any malformed value (null, a number, a string,
    nested arrays, NaN, coordinates out of range, thousands of nested brackets) gets the same
    German message. The cleaned value is a normalised GeoJSON Point dict or None (empty).
    """

    widget = forms.HiddenInput
    default_error_messages = {"invalid": POINT_INVALID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            return clean_point(value)
        except ValidationError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class AreaAdminForm(forms.ModelForm):
    boundary = BoundaryField(
        label=_("Grenze (GeoJSON)"),
        required=False,
        help_text=_(
            "Auf der Karte zeichnen oder ein GeoJSON-Polygon/-MultiPolygon in WGS84 "
            "(Längengrad, Breitengrad) einfügen."
        ),
    )

    class Meta:
        model = Area
        fields = [
            "name",
            "slug",
            "kind",
            "parent",
            "colour",
            "description",
            "boundary",
            "profile_topics",
            "profile_identification",
            "profile_lifeworlds",
            "profile_quality",
            "profile_cooperation",
            "valid_from",
            "valid_until",
            "predecessors",
        ]


MAX_PARTS = 30


def _parse_parts(text):
    """The parts textarea: a FeatureCollection (or one Polygon/MultiPolygon) → a list of
    {"name", "boundary"}; geometries are left to the split's own checks."""
    if not (text or "").strip():
        return []
    data = load_json(text)
    if isinstance(data, dict) and data.get("type") in ("Polygon", "MultiPolygon"):
        data = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": data}]}
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ValidationError(
            _("Die Teile sind keine GeoJSON-FeatureCollection (ein Feature je Teil).")
        )
    if len(data["features"]) > MAX_PARTS:
        raise ValidationError(_("Höchstens %(count)d Teile auf einmal.") % {"count": MAX_PARTS})
    parts = []
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise ValidationError(
                _("Teil %(number)s ist kein GeoJSON-Feature mit einer Fläche.") % {"number": number}
            )
        properties = feature.get("properties")
        name = properties.get("name") if isinstance(properties, dict) else None
        parts.append(
            {"name": name if isinstance(name, str) else "", "boundary": feature["geometry"]}
        )
    return parts


def parts_feature_collection(children):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": child["name"]},
                "geometry": child["boundary"],
            }
            for child in children
        ],
    }


def fill_parts(data, children):
    """Put `children` ({"name", "boundary"} each) into the split form's `data` (a mutable
    QueryDict or dict): the parts as GeoJSON and one name field per part."""
    data["parts"] = json.dumps(parts_feature_collection(children))
    for number in range(1, MAX_PARTS + 1):
        data.pop(f"name_{number}", None)
    for number, child in enumerate(children, start=1):
        data[f"name_{number}"] = child["name"]
    return data


class SplitForm(PlainTextFormMixin, forms.Form):
    """The split screen: parts drawn on the map (mirrored as GeoJSON in `parts`, the keyboard
    and no-JavaScript way) or loaded from a file, one name field per part, a date.

    A file, when posted, replaces the parts (and their names) before anything else is read, so
    the page shows what came from it. `children` in cleaned_data is what `area_split` takes.
    """

    parts = forms.CharField(
        label=_("Teile als GeoJSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "boundary-input"}),
        help_text=_(
            "Wird beim Zeichnen auf der Karte ausgefüllt; ohne Karte eine FeatureCollection "
            "mit einem Feature je Teil einfügen."
        ),
    )
    file = forms.FileField(
        label=_("Oder: Teile aus einer GeoJSON-Datei laden"),
        required=False,
        help_text=_("Eine FeatureCollection, ein Feature je neuem Sozialraum."),
    )
    name_property = forms.CharField(
        label=_("Eigenschaft mit dem Namen (Datei)"), initial="name", max_length=80
    )
    valid_from = forms.DateField(
        label=_("Gültig ab"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, files=None, **kwargs):
        self.file_error = None
        if data is not None:
            data = data.copy()
            upload = (files or {}).get("file")
            if upload is not None:
                self._read_file(data, upload)
        super().__init__(data, files, **kwargs)
        self.part_count = 0
        if self.is_bound:
            try:
                self.part_count = len(_parse_parts(self.data.get("parts")))
            except ValidationError:
                self.part_count = 0
        for number in range(1, self.part_count + 1):
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name von Teil %(number)s") % {"number": number},
                max_length=120,
                required=False,
            )

    def _read_file(self, data, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            self.file_error = ValidationError(_("Die Datei ist größer als 10 MB."))
            return
        try:
            children = read_feature_collection(
                upload.read(), name_property=data.get("name_property") or "name"
            )
        except ValidationError as error:
            self.file_error = error
            return
        fill_parts(data, children)

    def name_fields(self):
        return [self[f"name_{number}"] for number in range(1, self.part_count + 1)]

    def clean(self):
        cleaned = super().clean()
        if self.file_error is not None:
            self.add_error("file", self.file_error)
            return cleaned
        try:
            parts = _parse_parts(cleaned.get("parts"))
        except ValidationError as error:
            self.add_error("parts", error)
            return cleaned
        if not parts:
            self.add_error(
                "parts", _("Bitte mindestens einen Teil auf der Karte zeichnen oder laden.")
            )
            return cleaned
        for number, part in enumerate(parts, start=1):
            typed = cleaned.get(f"name_{number}")
            if typed is not None and f"name_{number}" in self.data:
                part["name"] = typed
        cleaned["children"] = parts
        return cleaned


class RetireForm(forms.Form):
    """The retire screen: the successors (none, one or several current areas) and the date."""

    successors = forms.ModelMultipleChoiceField(
        label=_("Nachfolger"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Was im Gebiet verortet ist, geht an den Nachfolger, in dem es liegt; bei einem "
            "einzigen Nachfolger alles. Ohne Nachfolger bleibt alles beim beendeten Gebiet."
        ),
    )
    valid_until = forms.DateField(
        label=_("Gültig bis"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, area, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successors"].queryset = (
            choices.current().exclude(pk=area.pk).without_geometry().order_by("name")
        )
