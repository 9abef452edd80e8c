"""CSV (one table) and XLSX (the whole report, a sheet per section) exports.

Spreadsheet programs run cells starting with = + - @ (or a tab / carriage return) as formulas;
such text cells get a leading quote. CSV is UTF-8 with a byte order mark and `;` as separator,
as German spreadsheet programs expect.
"""

import csv
import datetime
import io

from django.utils import formats
from openpyxl import Workbook
from openpyxl.styles import Font

from quartier.spreadsheets import spreadsheet_safe


def safe_text(value):
    return spreadsheet_safe(str(value))


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return formats.number_format(value, 1)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(value)


def table_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_text(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def xlsx_cell(value):
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return safe_text(value)


def _sheet_title(number, title):
    text = f"{number} {title}" if number else str(title)
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def report_xlsx(report, *, heading):
    """The whole report as an XLSX workbook (bytes): one sheet per section, tables below
    each other with their titles in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_title(section.number, section.title))
        sheet.append([safe_text(heading)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([safe_text(section.question)])
        for table in section.tables:
            sheet.append([])
            sheet.append([safe_text(table.title)])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append([safe_text(column) for column in table.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append([xlsx_cell(value) for value in row])
            if table.note:
                sheet.append([safe_text(table.note)])
        sheet.column_dimensions["A"].width = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
