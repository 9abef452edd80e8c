from django.urls import path

from . import views

urlpatterns = [
    path("benachrichtigungen/", views.SubscriptionListView.as_view(), name="subscription-list"),
    path("benachrichtigungen/neu/", views.FollowAreaView.as_view(), name="subscription-create"),
    path("benachrichtigungen/ort/", views.FollowPlaceView.as_view(), name="subscription-place"),
    path(
        "benachrichtigungen/gesendet/",
        views.SubscriptionSentView.as_view(),
        name="subscription-sent",
    ),
    path(
        "benachrichtigungen/<int:pk>/bearbeiten/",
        views.SubscriptionEditView.as_view(),
        name="subscription-edit",
    ),
    path(
        "benachrichtigungen/<int:pk>/loeschen/",
        views.SubscriptionDeleteView.as_view(),
        name="subscription-delete",
    ),
    path(
        "benachrichtigungen/bestaetigen/<str:token>/",
        views.SubscriptionConfirmView.as_view(),
        name="subscription-confirm",
    ),
    path(
        "benachrichtigungen/verwalten/<str:token>/",
        views.SubscriptionManageView.as_view(),
        name="subscription-manage",
    ),
    path(
        "benachrichtigungen/abbestellen/<str:token>/",
        views.unsubscribe,
        name="subscription-unsubscribe",
    ),
]
