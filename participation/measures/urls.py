from django.urls import path

from . import views

urlpatterns = [
    path("vorhaben/", views.MeasureListView.as_view(), name="measure-list"),
    path("vorhaben/<int:pk>/", views.MeasureDetailView.as_view(), name="measure-detail"),
]
