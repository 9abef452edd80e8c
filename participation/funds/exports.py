"""A fund's applications in the shape a funding authority asks for (Mittelabruf /
Verwendungsnachweis list): one row per application with requested, approved, paid, spent."""

import csv
import io
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from quartier.spreadsheets import spreadsheet_safe

from .models import MONEY, ZERO, FundApplication


def fund_rows(fund):
    from django.db import models

    applications = (
        FundApplication.objects.filter(fund=fund)
        .exclude(status=FundApplication.Status.UNCONFIRMED)
        .select_related("area")
        .annotate(
            paid=Coalesce(Sum("payments__amount"), ZERO, output_field=models.DecimalField(**MONEY))
        )
        .order_by("created_at", "pk")
    )
    header = [
        _("Nr."),
        _("Titel"),
        _("Antragsteller"),
        _("Gebiet"),
        _("Zeitraum"),
        _("Zielgruppen"),
        _("Gesamtkosten (€)"),
        _("Eigenanteil (€)"),
        _("beantragt (€)"),
        _("bewilligt (€)"),
        _("ausgezahlt (€)"),
        _("ausgegeben (€)"),
        _("Teilnehmende"),
        _("Status"),
        _("entschieden am"),
    ]
    rows = [
        [
            application.pk,
            application.title,
            application.applicant_display,
            application.area.name,
            f"{application.starts_on:%d.%m.%Y}–{application.ends_on:%d.%m.%Y}",
            application.target_groups,
            application.total_costs,
            application.own_contribution,
            application.requested_amount,
            application.approved_amount,
            application.paid,
            application.spent_amount,
            application.participants,
            str(application.get_status_display()),
            application.decided_at.date() if application.decided_at else None,
        ]
        for application in applications
    ]
    return header, rows


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return spreadsheet_safe(str(value))


def fund_export(fund, fmt):
    """(content, content_type) as CSV (UTF-8 with BOM, `;`) or XLSX."""
    header, rows = fund_rows(fund)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows([[_csv_cell(value) for value in row] for row in rows])
        return "\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(fund.year)
    sheet.append([spreadsheet_safe(str(fund))])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([str(header_cell) for header_cell in header])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [value if not isinstance(value, str) else spreadsheet_safe(value) for value in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return buffer.getvalue(), xlsx
