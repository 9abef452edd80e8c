from django.urls import path, register_converter
from django.views.decorators.http import require_GET

from . import feeds
from .open311 import FormatConverter
from .views import feedback, ideas, meetings, opendata, reports, subscriptions

register_converter(FormatConverter, "open311format")

app_name = "participation"

urlpatterns = [
    path("ideen/", ideas.IdeaListView.as_view(), name="idea-list"),
    path("ideen/neu/", ideas.IdeaCreateView.as_view(), name="idea-create"),
    path("ideen/aehnliche/", ideas.similar_ideas_fragment, name="idea-similar"),
    path("ideen/danke/", ideas.IdeaThanksView.as_view(), name="idea-thanks"),
    path("ideen/karte/", ideas.IdeaMapView.as_view(), name="idea-map"),
    path("ideen/bestaetigen/<str:token>/", ideas.IdeaConfirmView.as_view(), name="idea-confirm"),
    path("ideen/<int:pk>/", ideas.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideen.geojson", ideas.ideas_geojson, name="ideas-geojson"),
    path("treffen/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("treffen/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("treffen/<int:pk>.ics", meetings.meeting_ics, name="meeting-ics"),
    path(
        "treffen/abmelden/<str:token>/",
        meetings.RegistrationCancelView.as_view(),
        name="meeting-cancel-registration",
    ),
    path("quartiere/<slug:slug>/treffen.ics", meetings.area_meetings_ics, name="area-meetings-ics"),
    path("stimmung/", feedback.MoodView.as_view(), name="mood"),
    path(
        "benachrichtigungen/",
        subscriptions.SubscriptionListView.as_view(),
        name="subscription-list",
    ),
    path(
        "benachrichtigungen/neu/",
        subscriptions.FollowAreaView.as_view(),
        name="subscription-create",
    ),
    path(
        "benachrichtigungen/ort/",
        subscriptions.FollowPlaceView.as_view(),
        name="subscription-place",
    ),
    path(
        "benachrichtigungen/gesendet/",
        subscriptions.SubscriptionSentView.as_view(),
        name="subscription-sent",
    ),
    path(
        "benachrichtigungen/<int:pk>/bearbeiten/",
        subscriptions.SubscriptionEditView.as_view(),
        name="subscription-edit",
    ),
    path(
        "benachrichtigungen/<int:pk>/loeschen/",
        subscriptions.SubscriptionDeleteView.as_view(),
        name="subscription-delete",
    ),
    path(
        "benachrichtigungen/bestaetigen/<str:token>/",
        subscriptions.SubscriptionConfirmView.as_view(),
        name="subscription-confirm",
    ),
    path(
        "benachrichtigungen/verwalten/<str:token>/",
        subscriptions.SubscriptionManageView.as_view(),
        name="subscription-manage",
    ),
    path(
        "benachrichtigungen/abbestellen/<str:token>/",
        subscriptions.unsubscribe,
        name="subscription-unsubscribe",
    ),
    path("feed/", require_GET(feeds.PortalFeed()), name="feed"),
    path("quartiere/<slug:slug>/feed/", require_GET(feeds.AreaFeed()), name="area-feed"),
    path("offene-daten/", opendata.OpenDataView.as_view(), name="opendata"),
    path("offene-daten/ideen.csv", opendata.ideas_csv, name="opendata-ideas-csv"),
    path(
        "offene-daten/ideen.geojson",
        opendata.ideas_geojson_download,
        name="opendata-ideas-geojson",
    ),
    path(
        "open311/v2/services.<open311format:fmt>",
        opendata.open311_services,
        name="open311-services",
    ),
    path(
        "open311/v2/requests.<open311format:fmt>",
        opendata.open311_requests,
        name="open311-requests",
    ),
    path(
        "open311/v2/requests/<int:pk>.<open311format:fmt>",
        opendata.open311_request,
        name="open311-request",
    ),
    path("berichte/", reports.ReportView.as_view(), name="reports"),
    path("berichte/bericht.xlsx", reports.ReportView.as_view(export="xlsx"), name="report-xlsx"),
    path("berichte/<slug:key>.csv", reports.ReportView.as_view(export="csv"), name="report-csv"),
]
