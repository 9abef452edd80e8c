from django.urls import path

from . import views
from .addresses import views as address_views

app_name = "neighbourhoods"

urlpatterns = [
    path("quartiere/", views.AreaListView.as_view(), name="area-list"),
    path("quartiere.geojson", views.areas_geojson, name="areas-geojson"),
    path(
        "quartiere/adressen.json",
        address_views.address_suggestions,
        name="address-suggestions",
    ),
    path("quartiere/finden/", views.AreaFindView.as_view(), name="area-find"),
    path("quartiere/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path(
        "quartiere/<slug:slug>/leichte-sprache/",
        views.AreaEasyLanguageView.as_view(),
        name="area-easy-language",
    ),
    path("quartiere/<slug:slug>/grenze.geojson", views.area_geojson, name="area-geojson"),
]
