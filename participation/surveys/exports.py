"""Staff exports of survey results: the aggregates of the results page, never a response."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from quartier.spreadsheets import spreadsheet_safe


def results_rows(results):
    rows = [[_("Frage"), _("Antwort"), _("Anzahl"), _("Anteil (%)")]]
    if not results.shown:
        rows.append([_("Zu wenige Antworten (unter %(n)s)") % {"n": results.minimum}, "", "", ""])
        return [[spreadsheet_safe(cell) for cell in row] for row in rows]
    rows.append([_("Antworten insgesamt"), "", results.group_count, ""])
    for result in results.questions:
        question = result.question.text
        if result.rows:
            held = _("weniger als %(n)s") % {"n": results.minimum}
            for label, count, percent in result.table_rows:
                if count is None:
                    rows.append([question, label, held, ""])
                else:
                    rows.append([question, label, count, percent])
            if result.average is not None:
                rows.append([question, _("Durchschnitt"), round(result.average, 2), ""])
        elif result.cells:
            for count, (i, j) in result.cells:
                rows.append([question, _("Feld %(i)s/%(j)s") % {"i": i, "j": j}, count, ""])
        elif result.visible:
            rows.append([question, _("beantwortet"), result.answered, ""])
        else:
            rows.append(
                [question, _("Zu wenige Antworten (unter %(n)s)") % {"n": results.minimum}, "", ""]
            )
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]


def results_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ergebnisse")[:31]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
