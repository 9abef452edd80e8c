from django.urls import path

from . import views

urlpatterns = [
    path("einbetten/<slug:slug>/beitraege/", views.newest_widget, name="embed-newest"),
    path("einbetten/<slug:slug>/treffen/", views.meetings_widget, name="embed-meetings"),
    path("einbetten/<slug:slug>/karte/", views.map_widget, name="embed-map"),
    path("einbetten/<slug:slug>/idee/", views.button_widget, name="embed-button"),
]
