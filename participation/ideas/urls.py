from django.urls import path

from . import views

urlpatterns = [
    path("ideen/", views.IdeaListView.as_view(), name="idea-list"),
    path("ideen/neu/", views.IdeaCreateView.as_view(), name="idea-create"),
    path("ideen/aehnliche/", views.similar_ideas_fragment, name="idea-similar"),
    path("ideen/danke/", views.IdeaThanksView.as_view(), name="idea-thanks"),
    path("ideen/karte/", views.IdeaMapView.as_view(), name="idea-map"),
    path("ideen/bestaetigen/<str:token>/", views.IdeaConfirmView.as_view(), name="idea-confirm"),
    path("ideen/<int:pk>/", views.IdeaDetailView.as_view(), name="idea-detail"),
    path("ideen/<int:pk>/kommentieren/", views.IdeaCommentView.as_view(), name="idea-comment"),
    path("ideen/<int:pk>/unterstuetzen/", views.IdeaSupportView.as_view(), name="idea-support"),
    path(
        "ideen/<int:pk>/unterstuetzung-zuruecknehmen/",
        views.IdeaUnsupportView.as_view(),
        name="idea-unsupport",
    ),
    path("ideen/<int:pk>/melden/", views.IdeaFlagView.as_view(), name="idea-flag"),
    path("ideen.geojson", views.ideas_geojson, name="ideas-geojson"),
]
