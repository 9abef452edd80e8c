"""Reading district files (GeoJSON FeatureCollections) and writing areas as GeoJSON.

Used by the import/export commands and by the split upload in the admin, so a file is judged
the same way everywhere. Every error is one German sentence naming the feature at fault.
"""

import json
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quartier.text import validate_single_line

from .geometry import LONE_SURROGATE, clean_boundary, has_lone_surrogate
from .models import validate_area_name

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
GEOJSON_EXPECTED = (
    "Erwartet wird GeoJSON (eine FeatureCollection in WGS84), z. B. exportiert mit QGIS "
    "oder ogr2ogr -f GeoJSON -t_srs EPSG:4326."
)


def _looks_like_esri(data):
    if "spatialReference" in data or "geometryType" in data or "fieldAliases" in data:
        return True
    features = data.get("features")
    if isinstance(features, list) and features and isinstance(features[0], dict):
        first = features[0]
        geometry = first.get("geometry")
        return "attributes" in first or (isinstance(geometry, dict) and "rings" in geometry)
    return False


def _projected_crs(data):
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return None
    name = str((crs.get("properties") or {}).get("name", ""))
    if not name or re.search(r"(CRS84|4326)$", name):
        return None
    return name


def read_feature_collection(text, *, name_property="name"):
    """Parse a GeoJSON FeatureCollection of boundaries.

    Returns a list of dicts `{"name", "boundary", "properties", "colour"}`; raises
    ValidationError with one clear message for the first problem found.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("Die Datei ist keine UTF-8-Textdatei. %(hint)s") % {"hint": _(GEOJSON_EXPECTED)}
            ) from error
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValidationError(
            _("Die Datei ist kein JSON (%(error)s). %(hint)s")
            % {"error": str(error)[:100], "hint": _(GEOJSON_EXPECTED)}
        ) from error
    if has_lone_surrogate(text, data):
        raise ValidationError(
            _("Die Datei ist kein JSON (%(error)s). %(hint)s")
            % {"error": LONE_SURROGATE, "hint": _(GEOJSON_EXPECTED)}
        )
    if not isinstance(data, dict):
        raise ValidationError(
            _("Die Datei ist kein GeoJSON. %(hint)s") % {"hint": _(GEOJSON_EXPECTED)}
        )
    if _looks_like_esri(data):
        raise ValidationError(
            _("Die Datei ist Esri-JSON (ArcGIS), kein GeoJSON. %(hint)s")
            % {"hint": _(GEOJSON_EXPECTED)}
        )
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise ValidationError(
            _("Die Datei ist keine GeoJSON-FeatureCollection. %(hint)s")
            % {"hint": _(GEOJSON_EXPECTED)}
        )
    crs = _projected_crs(data)
    if crs:
        raise ValidationError(
            _(
                "Die Datei verwendet das Koordinatensystem %(crs)s; die Koordinaten sehen "
                "projiziert aus. Benötigt werden WGS84-Koordinaten (Längengrad, Breitengrad, "
                "EPSG:4326)."
            )
            % {"crs": crs[:80]}
        )
    if not data["features"]:
        raise ValidationError(_("Die FeatureCollection enthält keine Features."))
    result, seen = [], set()
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(
                _("Feature %(number)s ist kein GeoJSON-Feature.") % {"number": number}
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        name = properties.get(name_property)
        name = str(name).strip() if name not in (None, "") else ""
        if not name:
            available = ", ".join(sorted(map(str, properties))[:8]) or _("keine")
            raise ValidationError(
                _(
                    "Feature %(number)s hat keine Eigenschaft „%(property)s“ für den Namen "
                    "(vorhandene Eigenschaften: %(available)s). Mit --name-property lässt sich "
                    "eine andere wählen."
                )
                % {"number": number, "property": name_property, "available": available}
            )
        try:
            validate_single_line(name)
        except ValidationError as error:
            raise ValidationError(
                _("Feature %(number)s: %(message)s")
                % {"number": number, "message": " ".join(error.messages)}
            ) from error
        if len(name) > 120:
            raise ValidationError(
                _("Feature %(number)s: der Name ist länger als 120 Zeichen.") % {"number": number}
            )
        try:
            validate_area_name(name)
        except ValidationError as error:
            raise ValidationError(
                _("Feature %(number)s (%(name)s): %(message)s")
                % {"number": number, "name": repr(name)[:80], "message": error.messages[0]}
            ) from error
        if name.casefold() in seen:
            raise ValidationError(
                _("Feature %(number)s („%(name)s“): der Name kommt in der Datei mehrfach vor.")
                % {"number": number, "name": name}
            )
        seen.add(name.casefold())
        try:
            boundary = clean_boundary(feature.get("geometry") or "")
        except ValidationError as error:
            raise ValidationError(
                _("Feature %(number)s („%(name)s“): %(message)s")
                % {"number": number, "name": name, "message": " ".join(error.messages)}
            ) from error
        colour = next(
            (
                str(properties[key])
                for key in ("colour", "color", "fill")
                if HEX_COLOUR.match(str(properties.get(key, "")))
            ),
            None,
        )
        result.append(
            {"name": name, "boundary": boundary, "properties": properties, "colour": colour}
        )
    return result


def area_feature(area, *, url=None, history=False, exact=False):
    """A GeoJSON Feature of the area: its display copy (simplified to about 1 m, what maps
    show), or with `exact` the boundary as stored (exports)."""
    properties = {
        "name": area.name,
        "slug": area.slug,
        "kind": area.kind,
        "colour": area.colour,
    }
    if url is not None:
        properties["url"] = url
    if history:
        properties.update(
            {
                "parent": area.parent.slug if area.parent_id else None,
                "valid_from": area.valid_from.isoformat(),
                "valid_until": area.valid_until.isoformat() if area.valid_until else None,
                "predecessors": [pre.slug for pre in area.predecessors.all()],
            }
        )
    geometry = area.boundary if exact else (area.boundary_display or area.boundary)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def feature_collection(features):
    return {"type": "FeatureCollection", "features": list(features)}
