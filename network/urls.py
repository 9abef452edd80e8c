from django.urls import path

from . import views
from .calendars import views as calendar_views

app_name = "network"

urlpatterns = [
    path("netzwerk/", views.PartnerListView.as_view(), name="partner-list"),
    path("netzwerk.geojson", views.partners_geojson, name="partners-geojson"),
    path("netzwerk/mitmachen/", views.JoinRequestView.as_view(), name="join-request"),
    path(
        "netzwerk/mitmachen/danke/",
        views.JoinRequestThanksView.as_view(),
        name="join-request-thanks",
    ),
    path("netzwerk/bild/", views.NetworkPictureView.as_view(), name="network-picture"),
    path(
        "quartiere/<slug:slug>/netzwerk/",
        views.AreaNetworkPictureView.as_view(),
        name="area-network-picture",
    ),
    path("netzwerk/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    path(
        "netzwerk/<slug:slug>/termin/",
        calendar_views.PartnerEventCreateView.as_view(),
        name="partner-event-create",
    ),
    path(
        "netzwerk/<slug:slug>/kalender/",
        calendar_views.CalendarFeedCreateView.as_view(),
        name="partner-feed-create",
    ),
    path(
        "netzwerk/<slug:slug>/bearbeiten/",
        views.PartnerEntryUpdateView.as_view(),
        name="partner-edit",
    ),
]
