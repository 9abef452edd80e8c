from django.urls import path

from .views import feedback, meetings

app_name = "participation"

urlpatterns = [
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
]
