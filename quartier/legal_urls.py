from django.urls import path

from quartier import views
from quartier.models import LegalPage

app_name = "legal"

urlpatterns = [
    path(
        "impressum/",
        views.LegalPageView.as_view(key=LegalPage.Key.IMPRINT),
        name="impressum",
    ),
    path(
        "datenschutz/",
        views.LegalPageView.as_view(key=LegalPage.Key.PRIVACY),
        name="datenschutz",
    ),
    path(
        "barrierefreiheit/",
        views.AccessibilityStatementView.as_view(),
        name="barrierefreiheit",
    ),
    path(
        "leichte-sprache/",
        views.LegalPageView.as_view(key=LegalPage.Key.EASY_LANGUAGE),
        name="leichte-sprache",
    ),
]
