"""Who may see which report, the period/area form, exports, query counts and the area profile."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.selectors import area_tree
from participation.feedback.models import MoodAnswer
from participation.reports import profile
from tests.factories import make_coordination, make_manager, make_user

from .report_data import PERIOD, at, make_report_data
from .report_data import _idea as idea_at

pytestmark = pytest.mark.django_db

URL = reverse("participation:reports")


@pytest.fixture
def data(settings):
    settings.MOOD_MIN_ANSWERS = 3
    return make_report_data()


# --- access -----------------------------------------------------------------------------------


def test_visitor_is_sent_to_log_in(client, data):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert (
        client.get(reverse("participation:report-csv", kwargs={"key": "topics"})).status_code == 302
    )
    assert client.get(reverse("participation:report-xlsx")).status_code == 302


def test_resident_is_refused(client, data):
    client.force_login(make_user())
    assert client.get(URL).status_code == 403
    assert client.get(reverse("participation:report-xlsx")).status_code == 403


def test_manager_sees_own_areas_only(client, data):
    client.force_login(make_manager(data.sued))
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    choices = [slug for slug, _ in response.context["form"].fields["gebiet"].choices]
    assert "sudstadt" in [str(value) for value in choices]
    assert "nordstadt" not in [str(value) for value in choices]
    assert "Alle meine Gebiete" in response.content.decode()
    report = response.context["report"]
    assert report.table("ideas-per-month").rows[0][-1] == 1  # no Nordstadt idea
    assert client.get(URL, {**PERIOD, "gebiet": "am-hafen"}).status_code == 200


def test_manager_choosing_another_area_finds_nothing(client, data):
    client.force_login(make_manager(data.nord))
    assert client.get(URL, {**PERIOD, "gebiet": "sudstadt"}).status_code == 404
    csv_url = reverse("participation:report-csv", kwargs={"key": "topics"})
    assert client.get(csv_url, {**PERIOD, "gebiet": "sudstadt"}).status_code == 404
    assert client.get(URL, {**PERIOD, "gebiet": "gibt-es-nicht"}).status_code == 404


def test_manager_without_staff_flag_is_refused(client, data):
    user = make_manager(data.sued)
    user.is_staff = False
    user.save()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_coordination_sees_every_area(client, data):
    client.force_login(make_coordination())
    response = client.get(URL)
    assert response.status_code == 200
    assert "Alle Gebiete" in response.content.decode()
    assert client.get(URL, {"gebiet": "nordstadt"}).status_code == 200


def test_staff_nav_link(client, data):
    client.force_login(make_coordination())
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(make_user())
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# --- the form -----------------------------------------------------------------------------------


def test_default_period_is_last_twelve_months(client, data):
    client.force_login(make_coordination())
    period = client.get(URL).context["report"].period
    assert period.end == timezone.localdate()
    assert 364 <= (period.end - period.start).days <= 365


@pytest.mark.parametrize(
    "params, message",
    [
        ({"von": "kein Datum"}, "Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ({"von": "2026-06-01", "bis": "2026-01-01"}, "Das Ende darf nicht vor dem Anfang liegen."),
        ({"von": "1990-01-01", "bis": "1991-01-01"}, "Bitte ein Datum ab dem Jahr 2000 angeben."),
        ({"von": "2001-01-01", "bis": "2026-01-01"}, "Ein Bericht umfasst höchstens zehn Jahre."),
        ({"von": "2026-01-01" * 500}, "Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ({"von": "<script>alert(1)</script>"}, "Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ({"von": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_period_gets_a_message_and_keeps_input(client, data, params, message):
    client.force_login(make_coordination())
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html
    assert "report" not in response.context or not response.context.get("report")
    if params.get("von") == "<script>alert(1)</script>":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # kept, escaped


# --- exports ----------------------------------------------------------------------------------


def test_csv_export_reads_back_with_bom_and_formula_guard(client, data):
    client.force_login(make_coordination())
    url = reverse("participation:report-csv", kwargs={"key": "strengths"})
    response = client.get(url, {**PERIOD, "gebiet": "sudstadt"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Stärke", "Unterstützungen", "Gebiet", "Thema"]
    assert rows[1] == ["'=Der Park am Kanal", "3", "Bahnhofsviertel", data.t1.name]


def test_csv_by_query_parameters_and_unknown_table(client, data):
    client.force_login(make_coordination())
    response = client.get(URL, {**PERIOD, "gebiet": "sudstadt", "format": "csv", "table": "mood"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [
        ["1. Quartal 2026", "4,0", "3"],
        ["2. Quartal 2026", "zu wenige Antworten", "2"],
    ]
    missing = reverse("participation:report-csv", kwargs={"key": "gibt-es-nicht"})
    assert client.get(missing, PERIOD).status_code == 404


def test_xlsx_workbook_has_a_sheet_per_section(client, data):
    client.force_login(make_coordination())
    response = client.get(reverse("participation:report-xlsx"), {**PERIOD, "gebiet": "sudstadt"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "1 Themen",
        "2 Identifikation",
        "3 Lebenswelten",
        "4 Lebensqualität",
        "5 Zusammenarbeit",
        "Antwortbereitschaft",
        "Fonds",
    ]
    values = list(workbook["2 Identifikation"].iter_rows(values_only=True))
    assert ("'=Der Park am Kanal", 3, "Bahnhofsviertel", data.t1.name) in values
    funnel = [row[:2] for row in workbook["Antwortbereitschaft"].iter_rows(values_only=True)]
    assert ("eingegangen (bestätigt)", 6) in funnel
    assert workbook["1 Themen"]["A1"].value.startswith("Quartiersbericht Südstadt")


# --- a fixed number of queries ----------------------------------------------------------------


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_data(client, data):
    client.force_login(make_coordination())
    params = {**PERIOD, "gebiet": "sudstadt"}
    _count_queries(client, params)  # warm caches (session, permissions)
    before = _count_queries(client, params)
    for month in range(1, 7):
        for area in (data.hafen, data.bahnhof, data.sued):
            for kind, topic in (("idea", data.t1), ("strength", data.t2), ("weakness", data.t2)):
                idea_at(area, created=at(2026, month, 12), kind=kind, topic=topic)
        MoodAnswer.objects.create(area=data.bahnhof, score=5, month=datetime.date(2026, month, 1))
    assert _count_queries(client, params) == before


def test_manager_report_query_count_is_fixed_too(client, data):
    client.force_login(make_manager(data.sued, data.nord))
    _count_queries(client, PERIOD)
    before = _count_queries(client, PERIOD)
    for month in range(1, 7):
        idea_at(data.nord, created=at(2026, month, 12), kind="idea", topic=data.t1)
    assert _count_queries(client, PERIOD) == before


# --- public area profile ----------------------------------------------------------------------


def test_area_profile_shows_aggregates_only(client, data):
    response = client.get(reverse("neighbourhoods:area-detail", kwargs={"slug": "sudstadt"}))
    html = response.content.decode()
    assert "Was bewegt das Quartier?" in html
    assert "=Der Park am Kanal" in html  # most supported strength (public)
    assert "bewohner" not in html and "a@example.org" not in html


def test_area_profile_figures_and_mood_threshold(data, settings):
    # the area page's scope: the quarter and every area below it (as every section gets it)
    context = profile.area_profile_context(
        data.sued, sorted(area_tree().descendant_ids(data.sued, with_successors=False)), None
    )
    assert context["profile_open_weaknesses"] == 1  # B planned; D realised
    assert context["profile_partners"] == 2  # Hafenverein, Diakonie Süd (active)
    assert [row["title"] for row in context["profile_strengths"]] == ["=Der Park am Kanal"]
    # the newest quarter with enough answers: Q1 2026 (Q2 has only two)
    assert (context["profile_mood"]["year"], context["profile_mood"]["quarter"]) == (2026, 1)
    settings.MOOD_MIN_ANSWERS = 10
    again = profile.area_profile_context(
        data.sued, sorted(area_tree().descendant_ids(data.sued, with_successors=False)), None
    )
    assert again["profile_mood"] is None


def test_area_profile_query_count_is_fixed(data):
    area_ids = sorted(area_tree().descendant_ids(data.sued, with_successors=False))
    with CaptureQueriesContext(connection) as first:
        profile.area_profile_context(data.sued, area_ids, None)
    for month in range(1, 7):
        idea_at(data.hafen, created=at(2026, month, 12), kind="strength", topic=data.t1)
    with CaptureQueriesContext(connection) as second:
        profile.area_profile_context(data.sued, area_ids, None)
    assert len(first) == len(second)
