"""Reading the portal by program: the "Offene Daten" page, CSV and GeoJSON downloads and the
Open311 GeoReport v2 endpoints. Only public content and never personal data; every response
is built from a fixed number of queries."""

import csv
import io

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from neighbourhoods.models import area_geometry
from participation.ideas.models import Answer, Idea
from quartier import safejson
from quartier.mail import absolute_url
from quartier.spreadsheets import spreadsheet_safe

from . import files, open311


class OpenDataView(TemplateView):
    template_name = "participation/opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            licence=settings.OPEN_DATA_LICENCE,
            licence_url=settings.OPEN_DATA_LICENCE_URL,
            **kwargs,
        )


def _export_rows():
    """Public ideas with their latest answer; one query."""
    latest_answer = Answer.objects.filter(idea=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Idea.objects.public()
        .select_related("topic", "area", "duplicate_of")
        .defer(*area_geometry("area"))
        .annotate(latest_answer=Subquery(latest_answer.values("text")[:1]))
        .order_by("pk")
    )


def _coordinates(idea):
    """(lng, lat) as the database stores them from the point, or None without one."""
    if idea.lng is None or idea.lat is None:
        return None
    return idea.lng, idea.lat


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _record(idea):
    point = _coordinates(idea)
    return {
        "id": idea.pk,
        "url": absolute_url(idea.get_absolute_url()),
        "art": idea.kind,
        "art_name": str(idea.get_kind_display()),
        "titel": idea.title,
        "beschreibung": idea.text,
        "thema": idea.topic.name,
        "gebiet": idea.area.name,
        "gebiet_kurzname": idea.area.slug,
        "stand": idea.status,
        "stand_name": str(idea.get_status_display()),
        "letzte_antwort": idea.latest_answer or "",
        "doppelt_zu": idea.duplicate_of_id or "",
        "unterstuetzungen": idea.support_count,
        "kommentare": idea.comment_count,
        "laengengrad": point[0] if point else "",
        "breitengrad": point[1] if point else "",
        "eingereicht_am": _iso(idea.created_at),
        "veroeffentlicht_am": _iso(idea.published_at),
        "geaendert_am": _iso(idea.updated_at),
    }


EXPORT_FIELDS = [
    "id",
    "url",
    "art",
    "art_name",
    "titel",
    "beschreibung",
    "thema",
    "gebiet",
    "gebiet_kurzname",
    "stand",
    "stand_name",
    "letzte_antwort",
    "doppelt_zu",
    "unterstuetzungen",
    "kommentare",
    "laengengrad",
    "breitengrad",
    "eingereicht_am",
    "veroeffentlicht_am",
    "geaendert_am",
]


def ideas_csv_body():
    """Public ideas as CSV: UTF-8 with BOM (spreadsheets read umlauts), formula-safe cells."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for idea in _export_rows():
        writer.writerow({key: spreadsheet_safe(value) for key, value in _record(idea).items()})
    return buffer.getvalue()


def ideas_geojson_body():
    features = []
    for idea in _export_rows():
        record = _record(idea)
        point = _coordinates(idea)
        for key in ("laengengrad", "breitengrad"):
            record.pop(key)
        features.append(
            {
                "type": "Feature",
                "id": idea.pk,
                "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
                "properties": record,
            }
        )
    return safejson.dumps(
        {
            "type": "FeatureCollection",
            "licence": settings.OPEN_DATA_LICENCE,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "features": features,
        },
        ensure_ascii=False,
    )


def _download(name, content_type, build):
    """The file the worker refreshed (participation.opendata.files), else built now."""
    stored = files.stored(name)
    if stored is not None:
        return FileResponse(stored, content_type=content_type, as_attachment=True, filename=name)
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def ideas_csv(request):
    return _download("ideen.csv", "text/csv; charset=utf-8", ideas_csv_body)


@require_GET
def ideas_geojson_download(request):
    return _download("ideen.geojson", "application/geo+json; charset=utf-8", ideas_geojson_body)


# --- Open311 GeoReport v2 --------------------------------------------------------------------


def _open311_response(records, fmt, *, root, item, status=200):
    if fmt == "xml":
        return HttpResponse(
            open311.to_xml(root, item, records),
            content_type="text/xml; charset=utf-8",
            status=status,
        )
    return JsonResponse(
        records, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _open311_error(error, fmt):
    return _open311_response(
        open311.error_records(error.code, error.description),
        fmt,
        root="errors",
        item="error",
        status=error.code,
    )


@require_GET
def open311_services(request, fmt):
    return _open311_response(open311.services(), fmt, root="services", item="service")


@require_GET
def open311_requests(request, fmt):
    try:
        ideas = open311.filtered_requests(request.GET)
    except open311.Open311Error as error:
        return _open311_error(error, fmt)
    records = [open311.request_record(idea, absolute=request.build_absolute_uri) for idea in ideas]
    return _open311_response(records, fmt, root="service_requests", item="request")


@require_GET
def open311_request(request, pk, fmt):
    idea = open311.request_queryset().filter(pk=pk).first()
    if idea is None:
        return _open311_error(open311.Open311Error(404, "service request not found"), fmt)
    records = [open311.request_record(idea, absolute=request.build_absolute_uri)]
    return _open311_response(records, fmt, root="service_requests", item="request")
