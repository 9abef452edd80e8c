from django.urls import path

from . import views

urlpatterns = [
    path("fonds/", views.FundListView.as_view(), name="fund-list"),
    path("fonds/projekte/", views.FundedProjectsView.as_view(), name="fund-projects"),
    path("fonds/<int:pk>/", views.FundDetailView.as_view(), name="fund-detail"),
    path("fonds/<int:pk>/antrag/", views.ApplicationCreateView.as_view(), name="fund-apply"),
    path("fonds/<int:pk>/antrag/gesendet/", views.application_sent, name="fund-applied"),
    path(
        "fonds/antrag/<str:token>/",
        views.ApplicationLinkView.as_view(),
        name="fund-application-link",
    ),
    path("konto/antraege/", views.MyApplicationsView.as_view(), name="fund-mine"),
    path("gremien/", views.BodyListView.as_view(), name="body-list"),
    path("gremien/abstimmen/", views.BodyVotesView.as_view(), name="body-votes"),
    path("gremien/<slug:slug>/", views.BodyDetailView.as_view(), name="body-detail"),
]
