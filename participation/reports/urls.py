from django.urls import path

from .views import ReportView

urlpatterns = [
    path("berichte/", ReportView.as_view(), name="reports"),
    path("berichte/bericht.xlsx", ReportView.as_view(export="xlsx"), name="report-xlsx"),
    path("berichte/<slug:key>.csv", ReportView.as_view(export="csv"), name="report-csv"),
]
