"""The report's figures against a small known data set (see report_data.py)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_coordination

from .report_data import PERIOD, make_report_data

pytestmark = pytest.mark.django_db

URL = reverse("participation:reports")


@pytest.fixture
def data(settings):
    settings.MOOD_MIN_ANSWERS = 3
    return make_report_data()


@pytest.fixture
def report(client, data):
    """The report for Südstadt (incl. the retired Ost and its successors) in the period."""
    client.force_login(make_coordination())
    response = client.get(URL, {**PERIOD, "gebiet": "sudstadt"})
    assert response.status_code == 200
    return response.context["report"]


def rows(report, key):
    return report.table(key).rows


def test_ideas_per_month_by_kind(report):
    assert rows(report, "ideas-per-month") == [
        ["01/2026", 1, 0, 0, 1],
        ["02/2026", 0, 1, 1, 2],
        ["03/2026", 1, 0, 1, 2],
        ["04/2026", 0, 0, 0, 0],
        ["05/2026", 0, 0, 0, 0],
        ["06/2026", 0, 0, 0, 0],
    ]


def test_topics_by_kind_and_per_month(report, data):
    assert rows(report, "topics") == [
        [data.t1.name, 2, 1, 0, 3],
        [data.t2.name, 0, 0, 2, 2],
    ]
    assert report.table("topics-per-month").columns[1:] == [data.t1.name, data.t2.name]
    assert rows(report, "topics-per-month")[:3] == [
        ["01/2026", 1, 0],
        ["02/2026", 1, 1],
        ["03/2026", 1, 1],
    ]


def test_top_topics_per_area_one_level_below(report, data):
    t1, t2 = data.t1.name, data.t2.name
    top = {row[0]: row[1:] for row in rows(report, "top-topics-per-area")}
    assert top == {
        "Am Hafen": [f"{t2} (1)", "", ""],
        "Bahnhofsviertel": [f"{t1} (1)", "", ""],
        "Ost": [f"{t1} (1)", "", ""],
        "Südstadt": sorted([f"{t1} (1)", f"{t2} (1)"]) + [""],
    }


def test_strengths_and_map(report, data):
    assert rows(report, "strengths") == [["=Der Park am Kanal", 3, "Bahnhofsviertel", data.t1.name]]
    section = report.sections[1]
    assert section.map_geojson["features"][0]["geometry"]["coordinates"] == [7.47, 51.495]


def test_lifeworlds(report):
    assert rows(report, "participants") == [
        ["mit Konto", 4],
        ["mit bestätigter E-Mail-Adresse (ohne Konto)", 2],
        ["zusammen", 6],
    ]
    assert rows(report, "channels") == [
        ["Online", 2],
        ["Bei einem Treffen", 1],
        ["Am Telefon", 1],
        ["Auf Papier", 1],
    ]
    assert rows(report, "target-groups") == [["Familien", 2], ["Seniorinnen und Senioren", 1]]


def test_quality_of_life_with_mood_threshold(report, data):
    assert rows(report, "weaknesses") == [[data.t2.name, 2, 1, 1]]
    assert rows(report, "mood") == [
        ["1. Quartal 2026", 4.0, 3],
        ["2. Quartal 2026", "zu wenige Antworten", 2],
    ]
    assert rows(report, "realised") == [["1. Quartal 2026", 0], ["2. Quartal 2026", 1]]


def test_cooperation(report):
    assert rows(report, "meetings")[1] == ["02/2026", 1, 5]
    assert sum(row[1] for row in rows(report, "meetings")) == 1
    assert rows(report, "partner-kinds") == [["Verein", 1], ["Wohlfahrtsverband", 1]]
    assert [row[0] for row in rows(report, "new-partners")] == ["Hafenverein"]
    assert [row[0] for row in rows(report, "new-cooperations")] == ["Familienfest"]
    assert rows(report, "join-requests") == [["aufgenommen", 1], ["abgelehnt", 0]]


def test_responsiveness_and_funnel(report):
    assert rows(report, "responsiveness") == [
        ["öffentliche Beiträge im Zeitraum", 4],
        ["davon mit mindestens einer Antwort", 3],
        ["Anteil beantwortet (%)", 75.0],
        ["Median: Tage bis zur ersten Antwort", 4.0],
    ]
    assert rows(report, "funnel") == [
        ["eingegangen (bestätigt)", 6],
        ["veröffentlicht", 4],
        ["geplant", 2],
        ["umgesetzt", 1],
    ]


def test_split_area_counts_its_successors(client, data):
    client.force_login(make_coordination())
    response = client.get(URL, {**PERIOD, "gebiet": "ost"})
    report = response.context["report"]
    assert [row[-1] for row in rows(report, "ideas-per-month")][:3] == [1, 2, 0]
    assert rows(report, "mood")[0] == ["1. Quartal 2026", 4.0, 3]


def test_all_areas_for_coordination(client, data):
    client.force_login(make_coordination())
    report = client.get(URL, PERIOD).context["report"]
    assert rows(report, "ideas-per-month")[0][-1] == 2  # Nordstadt's January idea too
    top = {row[0] for row in rows(report, "top-topics-per-area")}
    assert top == {"Südstadt", "Nordstadt"}  # rolled up to the quarters
    # Nordstadt's single mood answer joins the first quarter: 4 answers, average 3.25
    assert rows(report, "mood")[0] == ["1. Quartal 2026", 3.25, 4]
    assert rows(report, "join-requests") == [["aufgenommen", 1], ["abgelehnt", 1]]


def test_page_shows_charts_and_tables(client, data):
    client.force_login(make_coordination())
    response = client.get(URL, {**PERIOD, "gebiet": "sudstadt"})
    html = response.content.decode()
    assert html.count('role="img"') >= 10
    assert 'aria-labelledby="chart-topics-title chart-topics-desc"' in html
    assert '<title id="chart-topics-title">' in html
    assert "zu wenige Antworten" in html
    assert "report-strengths-geojson" in html
    assert "<script>" not in html and "style=" not in html


def test_city_participants_asked_per_account_match_the_areas_union(data):
    """All areas: each account is asked "did you take part?" (one index probe per kind of
    activity); the figure equals the union of ids the scoped report counts."""
    from neighbourhoods.models import Area
    from participation.reports import selectors
    from participation.reports.scope import Period, Scope

    period = Period(start=date.fromisoformat(PERIOD["von"]), end=date.fromisoformat(PERIOD["bis"]))
    city = selectors.participants(Scope(area=None, area_ids=None), period)
    every_area = Scope(area=None, area_ids=set(Area.objects.values_list("pk", flat=True)))
    assert city == selectors.participants(every_area, period)
    assert city["accounts"] >= 4
