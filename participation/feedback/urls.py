from django.urls import path

from . import views

urlpatterns = [
    path("stimmung/", views.MoodView.as_view(), name="mood"),
]
