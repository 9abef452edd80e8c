from django.urls import path

from .views import ideas

app_name = "participation"

urlpatterns = [
    path("ideen/", ideas.IdeaListView.as_view(), name="idea-list"),
    path("ideen/neu/", ideas.IdeaCreateView.as_view(), name="idea-create"),
    path("ideen/danke/", ideas.IdeaThanksView.as_view(), name="idea-thanks"),
    path("ideen/karte/", ideas.IdeaMapView.as_view(), name="idea-map"),
    path("ideen/bestaetigen/<str:token>/", ideas.IdeaConfirmView.as_view(), name="idea-confirm"),
    path("ideen/<int:pk>/", ideas.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideen.geojson", ideas.ideas_geojson, name="ideas-geojson"),
]
