"""All of participation's pages under one namespace; each feature lists its own in its urls.py."""

from .embeds import urls as embeds
from .feedback import urls as feedback
from .funds import urls as funds
from .ideas import urls as ideas
from .measures import urls as measures
from .meetings import urls as meetings
from .newsletter import urls as newsletter
from .offices import urls as offices
from .opendata import urls as opendata
from .paper import urls as paper
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
    *offices.urlpatterns,
    *measures.urlpatterns,
    *newsletter.urlpatterns,
    *funds.urlpatterns,
    *surveys.urlpatterns,
    *paper.urlpatterns,
    *embeds.urlpatterns,
]
