from django.urls import path

from . import views

urlpatterns = [
    path("amt/antwort/<str:token>/", views.OfficeAnswerView.as_view(), name="office-answer"),
    path("amt/anfragen/", views.OfficeRequestListView.as_view(), name="office-requests"),
    path("amt/anfragen/<int:pk>/", views.OfficeRequestView.as_view(), name="office-request"),
]
