from django.urls import path

from . import views

urlpatterns = [
    path(
        "quartiersbrief/<int:pk>/", views.NewsletterDetailView.as_view(), name="newsletter-detail"
    ),
    path(
        "quartiersbrief/<int:pk>/aushang/",
        views.NewsletterNoticeView.as_view(),
        name="newsletter-notice",
    ),
]
