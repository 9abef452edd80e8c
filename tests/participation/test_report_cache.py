"""A computed report is shared through the cache: served again while nothing changed, at most
REPORT_CACHE_SECONDS old after a change, computed by one request while others get the old one."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from participation.reports.cache import report_key
from tests.factories import make_coordination, make_manager

from .report_data import PERIOD, at, make_report_data
from .report_data import _idea as idea_at

pytestmark = pytest.mark.django_db

URL = reverse("participation:reports")


@pytest.fixture
def data(settings):
    settings.MOOD_MIN_ANSWERS = 3
    settings.REPORT_CACHE_SECONDS = 300
    return make_report_data()


def ideas_in_january(response):
    rows = response.context["report"].table("ideas-per-month").rows
    return rows[0][-1]


def the_only_entry():
    keys = [key for key in cache._cache if ":quartier:report:" in key and not key.endswith("lock")]
    assert len(keys) == 1
    return keys[0].split(":", 2)[2]  # locmem stores ":<version>:<key>"


def age_entry(key, seconds):
    entry = cache.get(key)
    entry["created"] -= datetime.timedelta(seconds=seconds)
    cache.set(key, entry)


def test_second_view_reads_no_report_figures(client, data):
    client.force_login(make_coordination())
    with CaptureQueriesContext(connection) as first:
        response = client.get(URL, PERIOD)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = client.get(URL, PERIOD)
    assert ideas_in_january(again) == ideas_in_january(response)
    assert len(second) <= len(first) - 10, (len(first), len(second))
    assert not [q for q in second.captured_queries if "participation_idea" in q["sql"]]
    assert "Stand: " in again.content.decode()
    assert "höchstens alle 5 Minuten neu berechnet" in again.content.decode()


def test_unchanged_report_is_kept_however_old(client, data):
    client.force_login(make_coordination())
    client.get(URL, PERIOD)
    age_entry(the_only_entry(), 3600)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, PERIOD)
    assert not [q for q in queries.captured_queries if "participation_idea" in q["sql"]]


def test_after_a_change_the_report_is_computed_again_once_it_is_old_enough(client, data):
    client.force_login(make_coordination())
    before = ideas_in_january(client.get(URL, PERIOD))
    idea_at(data.nord, created=at(2026, 1, 20))  # a saved row bumps the content version
    assert ideas_in_january(client.get(URL, PERIOD)) == before  # younger than 300 s: kept
    age_entry(the_only_entry(), 301)
    assert ideas_in_january(client.get(URL, PERIOD)) == before + 1


def test_while_one_request_computes_the_others_get_the_old_report(client, data):
    client.force_login(make_coordination())
    before = ideas_in_january(client.get(URL, PERIOD))
    idea_at(data.nord, created=at(2026, 1, 20))
    key = the_only_entry()
    age_entry(key, 301)
    cache.add(key + ":lock", 1, 60)  # another worker is computing it
    assert ideas_in_january(client.get(URL, PERIOD)) == before
    cache.delete(key + ":lock")
    assert ideas_in_january(client.get(URL, PERIOD)) == before + 1
    assert cache.get(key + ":lock") is None


def test_scopes_periods_and_languages_have_their_own_reports(client, data):
    coordination, manager = make_coordination(), make_manager(data.nord)
    client.force_login(coordination)
    everything = ideas_in_january(client.get(URL, PERIOD))
    client.force_login(manager)
    north_only = ideas_in_january(client.get(URL, PERIOD))
    assert north_only < everything
    client.get(URL, {**PERIOD, "bis": "2026-03-31"})
    client.get("/en" + URL, PERIOD)
    keys = [key for key in cache._cache if ":quartier:report:" in key]
    assert len(keys) == 4


def test_key_depends_on_language(data):
    from participation.reports.scope import Period, build_scope

    scope = build_scope(make_coordination())
    period = Period(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30))
    with translation.override("de"):
        german = report_key(scope, period)
    with translation.override("en"):
        english = report_key(scope, period)
    assert german != english


def test_csv_export_uses_the_computed_report(client, data):
    client.force_login(make_coordination())
    client.get(URL, PERIOD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("participation:report-csv", kwargs={"key": "topics"}), PERIOD)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "participation_idea" in q["sql"]]
    unknown = client.get(reverse("participation:report-csv", kwargs={"key": "nichts"}), PERIOD)
    assert unknown.status_code == 404


def test_turned_off_computes_every_time(client, data, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client.force_login(make_coordination())
    client.get(URL, PERIOD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, PERIOD)
    assert [q for q in queries.captured_queries if "participation_idea" in q["sql"]]
    assert "neu berechnet" not in response.content.decode()
    assert timezone.now() - response.context["report"].created < datetime.timedelta(minutes=1)


def test_rendered_sections_are_kept_with_the_report(client, data):
    client.force_login(make_coordination())
    client.get(URL, PERIOD)
    key = the_only_entry()
    entry = cache.get(key)
    entry["sections"][0].title = "Geänderter Titel"
    cache.set(key, entry)
    page = client.get(URL, PERIOD).content.decode()
    assert page.count("Geänderter Titel") == 1  # in the contents (rendered anew), not the section
    age_entry(key, 10)  # another computed time: another rendering
    page = client.get(URL, PERIOD).content.decode()
    assert page.count("Geänderter Titel") == 2
