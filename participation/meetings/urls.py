from django.urls import path

from . import views

urlpatterns = [
    path("treffen/", views.MeetingListView.as_view(), name="meeting-list"),
    path("treffen/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("treffen/<int:pk>.ics", views.meeting_ics, name="meeting-ics"),
    path(
        "treffen/abmelden/<str:token>/",
        views.RegistrationCancelView.as_view(),
        name="meeting-cancel-registration",
    ),
    path("quartiere/<slug:slug>/treffen.ics", views.area_meetings_ics, name="area-meetings-ics"),
]
