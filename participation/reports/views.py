"""The reports for coordination (all areas) and quarter managers (their areas): one page,
CSV per table and an XLSX workbook, all scoped to the areas the user may see."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from neighbourhoods.permissions import is_coordination
from participation import permissions
from participation.ideas.models import ModerationAction
from participation.ideas.services import log_decision

from . import exports
from .cache import cached_report
from .forms import ReportForm
from .scope import Period, build_scope, default_period, visible_areas

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@method_decorator(never_cache, name="dispatch")  # staff data: no cache may keep the page or files
class ReportView(LoginRequiredMixin, TemplateView):
    template_name = "participation/reports/report.html"
    export = None  # "csv" or "xlsx" for the export URLs

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        user = self.request.user
        areas = visible_areas(user)
        slug = self.request.GET.get("gebiet", "")
        if slug and not areas.filter(slug=slug).exists():
            raise Http404  # another manager's area (or none at all): nothing to find here
        default = default_period()
        data = {"von": default.start.isoformat(), "bis": default.end.isoformat(), "gebiet": ""}
        data.update({key: self.request.GET[key] for key in data if key in self.request.GET})
        all_label = _("Alle Gebiete") if is_coordination(user) else _("Alle meine Gebiete")
        return ReportForm(data, areas=areas, all_label=all_label)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response({"form": form}, status=400)
        area = form.cleaned_data["gebiet"]
        period = Period(start=form.cleaned_data["von"], end=form.cleaned_data["bis"])
        scope = build_scope(request.user, area)
        export = self.export or request.GET.get("format")
        key = kwargs.get("key") or request.GET.get("table")
        if export == "csv":
            response = self.csv_response(scope, period, key)
            self.log_export(area, period, f"CSV {key or ''}".strip())
            return response
        area_name = area.name if area else str(form.fields["gebiet"].empty_label)
        heading = _("Quartiersbericht %(area)s, %(start)s bis %(end)s") % {
            "area": area_name,
            "start": period.start.strftime("%d.%m.%Y"),
            "end": period.end.strftime("%d.%m.%Y"),
        }
        report = cached_report(scope, period)
        if export == "xlsx":
            response = HttpResponse(exports.report_xlsx(report, heading=heading), XLSX_TYPE)
            response["Content-Disposition"] = (
                f'attachment; filename="{self.filename(area_name, period)}.xlsx"'
            )
            self.log_export(area, period, "XLSX")
            return response
        query = request.GET.copy()
        query.pop("format", None)
        query.pop("table", None)
        return self.render_to_response(
            {
                "form": form,
                "report": report,
                "area_name": area_name,
                "heading": heading,
                "query": query.urlencode(),
                "report_cache_minutes": settings.REPORT_CACHE_SECONDS // 60,
            }
        )

    def csv_response(self, scope, period, key):
        table = cached_report(scope, period).table(key or "")
        if table is None:
            raise Http404
        response = HttpResponse(exports.table_csv(table), "text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="bericht-{table.key}-{period.start:%Y%m%d}-'
            f'{period.end:%Y%m%d}.csv"'
        )
        return response

    def log_export(self, area, period, what):
        """A downloaded report is a staff action: it goes into the Protokoll."""
        log_decision(
            actor=self.request.user,
            action=ModerationAction.REPORT_EXPORT,
            area=area,
            note=f"{what}, {period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}",
        )

    @staticmethod
    def filename(area_name, period):
        return f"quartiersbericht-{slugify(area_name)}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
