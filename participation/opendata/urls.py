from django.urls import path, register_converter
from django.views.decorators.http import require_GET

from . import feeds, views
from .open311 import FormatConverter

register_converter(FormatConverter, "open311format")

urlpatterns = [
    path("feed/", require_GET(feeds.PortalFeed()), name="feed"),
    path("quartiere/<slug:slug>/feed/", require_GET(feeds.AreaFeed()), name="area-feed"),
    path("offene-daten/", views.OpenDataView.as_view(), name="opendata"),
    path("offene-daten/ideen.csv", views.ideas_csv, name="opendata-ideas-csv"),
    path(
        "offene-daten/ideen.geojson",
        views.ideas_geojson_download,
        name="opendata-ideas-geojson",
    ),
    path(
        "open311/v2/services.<open311format:fmt>",
        views.open311_services,
        name="open311-services",
    ),
    path(
        "open311/v2/requests.<open311format:fmt>",
        views.open311_requests,
        name="open311-requests",
    ),
    path(
        "open311/v2/requests/<int:pk>.<open311format:fmt>",
        views.open311_request,
        name="open311-request",
    ),
]
