"""Outputs built from hostile texts stay well-formed: rows holding CR/LF, control characters
and spreadsheet formulas (written straight into the database, as old rows or imports might hold
them; PostgreSQL cannot store NUL, so ESC and VT stand in for it) give a meeting calendar that
icalendar parses back to exactly the events there are, and CSV/XLSX exports (fund
applications, survey results) whose text cells never start with = + - @
(quartier.spreadsheets.spreadsheet_safe puts an apostrophe before them)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from participation.funds.models import FundApplication
from participation.meetings.models import Meeting
from participation.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from tests.factories import make_area, make_coordination, make_user, square
from tests.participation.fund_factories import make_application, make_fund
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '\x1b=HYPERLINK("http://evil.example")',
]
INJECTION = "Fest\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Gefälscht\r\nATTACH:http://evil.example"


def disarmed(cell):
    """A text cell a spreadsheet program shows as text."""
    return not isinstance(cell, str) or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


# --- calendars --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["meeting", "area"])
def test_a_calendar_with_injected_lines_keeps_its_events(client, which):
    area = make_area("Südstadt", boundary=square(7.4, 51.4))
    meeting = make_meeting(area)
    Meeting.objects.filter(pk=meeting.pk).update(
        title=INJECTION,
        address="Hof\r\nLOCATION:anderswo\x0b\x1b",
        text="Zeile eins\r\nEND:VCALENDAR\x1b\r\n" + FORMULAS[0],
    )
    url = (
        reverse("participation:meeting-ics", args=[meeting.pk])
        if which == "meeting"
        else reverse("participation:area-meetings-ics", args=[area.slug])
    )
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x00" not in body and "\x0b" not in body and "\x1b" not in body
    for line in body.split("\r\n"):
        assert "\r" not in line and "\n" not in line
    assert "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Gefälscht" not in body
    assert "\r\nATTACH:" not in body and "\r\nLOCATION:anderswo" not in body
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Fest END:VEVENT BEGIN:VEVENT")
    assert "ATTACH" not in event
    assert str(event["LOCATION"]) == "Hof LOCATION:anderswo"
    assert "END:VCALENDAR" in str(event["DESCRIPTION"])


# --- fund export ------------------------------------------------------------------------------


@pytest.fixture
def fund_with_formulas():
    fund = make_fund()
    for number, formula in enumerate(FORMULAS):
        application = make_application(fund, user=make_user(), title=f"Antrag {number}")
        FundApplication.objects.filter(pk=application.pk).update(
            title=formula, applicant_name=formula, target_groups=INJECTION
        )
    return fund


def test_fund_csv_export_disarms_every_formula(client, fund_with_formulas):
    client.force_login(make_coordination())
    url = reverse("admin:participation_fund_export", args=[fund_with_formulas.pk, "csv"])
    text = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + len(FORMULAS)  # CR/LF inside cells stay inside quoted cells
    cells = [cell for row in rows[1:] for cell in row]
    assert all(disarmed(cell) for cell in cells), [c for c in cells if not disarmed(c)]
    assert "'=cmd|' /C calc'!A0" in cells
    assert '\'=HYPERLINK("http://evil.example")' in cells  # the NUL went, then disarmed
    assert not any("\x1b" in cell for cell in cells)


def test_fund_xlsx_export_has_no_formula_cell(client, fund_with_formulas):
    client.force_login(make_coordination())
    url = reverse("admin:participation_fund_export", args=[fund_with_formulas.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert all(disarmed(cell.value) for cell in cells)
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in cells]


# --- survey export ----------------------------------------------------------------------------


@pytest.fixture
def survey_with_formulas():
    area = make_area("Südstadt", boundary=square(7.4, 51.4))
    today = datetime.date.today()
    survey = Survey.objects.create(
        title="Umfrage",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=10),
        is_published=True,
    )
    survey.areas.set([area])
    question = SurveyQuestion.objects.create(
        survey=survey, position=1, kind=QuestionKind.SINGLE, text="Frage"
    )
    choice = SurveyChoice.objects.create(question=question, position=1, text="Ja")
    SurveyQuestion.objects.filter(pk=question.pk).update(text=FORMULAS[0] + "\r\n" + INJECTION)
    SurveyChoice.objects.filter(pk=choice.pk).update(text=FORMULAS[3])
    for _ in range(8):
        response = SurveyResponse.objects.create(survey=survey, area=area)
        SurveyAnswer.objects.create(response=response, question=question, choice=choice)
    return survey


def test_survey_exports_disarm_every_formula(client, survey_with_formulas):
    client.force_login(make_coordination())
    pk = survey_with_formulas.pk
    text = client.get(reverse("participation:survey-export-csv", args=[pk])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert all(disarmed(cell) for cell in cells), [c for c in cells if not disarmed(c)]
    assert "'" + FORMULAS[3] in cells
    xlsx = client.get(reverse("participation:survey-export-xlsx", args=[pk])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in values if cell.data_type == "f"]
    assert all(disarmed(cell.value) for cell in values)
