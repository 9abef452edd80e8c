from django.urls import path

from . import views

urlpatterns = [
    path("karten/<slug:slug>/", views.PaperCardsView.as_view(), name="paper-cards"),
    path("karten/<slug:slug>/<str:card>/", views.PaperCardsView.as_view(), name="paper-card"),
]
