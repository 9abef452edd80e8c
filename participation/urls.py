"""All of participation's pages under one namespace; each feature lists its own in its urls.py."""

from .feedback import urls as feedback
from .ideas import urls as ideas
from .meetings import urls as meetings
from .opendata import urls as opendata
from .reports import urls as reports
from .subscriptions import urls as subscriptions
from .surveys import urls as surveys

app_name = "participation"

urlpatterns = [
    *ideas.urlpatterns,
    *meetings.urlpatterns,
    *feedback.urlpatterns,
    *subscriptions.urlpatterns,
    *opendata.urlpatterns,
    *reports.urlpatterns,
    *surveys.urlpatterns,
]
