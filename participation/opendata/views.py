"""Reading the portal by program: the "Offene Daten" page, CSV and GeoJSON downloads and the
Open311 GeoReport v2 endpoints. Only public content and never personal data; every response
is built from a fixed number of queries (the downloads from none: they are files built in the
background, see downloads.py)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from . import downloads, open311


class OpenDataView(TemplateView):
    template_name = "participation/opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            licence=settings.OPEN_DATA_LICENCE,
            licence_url=settings.OPEN_DATA_LICENCE_URL,
            **kwargs,
        )


@require_GET
def ideas_csv(request):
    """Public ideas as CSV, built in the background (downloads.py)."""
    return downloads.serve(request, "ideen.csv")


@require_GET
def ideas_geojson_download(request):
    """Public ideas as GeoJSON, built in the background (downloads.py)."""
    return downloads.serve(request, "ideen.geojson")


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
