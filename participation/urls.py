from django.urls import path

from .views import feedback, ideas, meetings, reports

app_name = "participation"

urlpatterns = [
    path("ideen/", ideas.IdeaListView.as_view(), name="idea-list"),
    path("ideen/neu/", ideas.IdeaCreateView.as_view(), name="idea-create"),
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
    path("berichte/", reports.ReportView.as_view(), name="reports"),
    path("berichte/bericht.xlsx", reports.ReportView.as_view(export="xlsx"), name="report-xlsx"),
    path("berichte/<slug:key>.csv", reports.ReportView.as_view(export="csv"), name="report-csv"),
]
