from django.urls import path

from . import drawing_views, views

urlpatterns = [
    path("umfragen/", views.SurveyListView.as_view(), name="survey-list"),
    path("umfragen/<int:pk>/", views.SurveyDetailView.as_view(), name="survey-detail"),
    path(
        "umfragen/<int:pk>/ergebnisse/",
        views.SurveyResultsView.as_view(),
        name="survey-results",
    ),
    path(
        "umfragen/<int:pk>/ergebnisse.csv",
        views.survey_export,
        {"fmt": "csv"},
        name="survey-export-csv",
    ),
    path(
        "umfragen/<int:pk>/ergebnisse.xlsx",
        views.survey_export,
        {"fmt": "xlsx"},
        name="survey-export-xlsx",
    ),
    path(
        "umfragen/<int:pk>/gespraech/",
        views.InterviewView.as_view(),
        name="survey-interview",
    ),
    path("umfragen/<int:pk>/drucken/", views.PrintableView.as_view(), name="survey-print"),
    path("mein-quartier/", drawing_views.DrawingView.as_view(), name="my-quarter"),
    path("mein-quartier/karte/", drawing_views.DensityMapView.as_view(), name="my-quarter-map"),
    path("mein-quartier.geojson", drawing_views.density_geojson, name="my-quarter-geojson"),
    path(
        "mein-quartier/vorschlag/<slug:slug>.geojson",
        drawing_views.proposal_geojson,
        name="my-quarter-proposal",
    ),
]
