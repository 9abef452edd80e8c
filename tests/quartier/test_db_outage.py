"""While the database is away, pages answer 503 with Retry-After and a calm page, not 500.

The last tests take the database away for real: the `default` connection is swapped for one
to a PostgreSQL port where nothing listens, or to an SQLite file that cannot be opened, so
the error is the one the driver raises, wrapped by Django as it would be in production.
"""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from quartier.urls import handler404, handler500  # noqa: F401
from quartier.urls import urlpatterns as portal_urlpatterns

MESSAGE = (
    "Der Dienst ist gerade nicht erreichbar – bitte versuchen Sie es in einigen Minuten erneut"
)


def database_gone(request):
    raise OperationalError('connection to server at "db" (10.0.0.7), port 5432 failed')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def wrapped_in_another_error(request):
    try:
        database_gone(request)
    except OperationalError as exc:
        raise RuntimeError("could not load the ideas") from exc


FLAKY_DATABASE = {"down": False}


def flaky(request):
    if FLAKY_DATABASE["down"]:
        raise OperationalError("server closed the connection unexpectedly")
    return HttpResponse("wieder da")


def plain_bug(request):
    raise ZeroDivisionError("a plain bug")


urlpatterns = [
    path("db-weg/", database_gone),
    path("verbindung-zu/", connection_closed),
    path("verpackt/", wrapped_in_another_error),
    path("fehler/", plain_bug),
    path("wackelig/", flaky),
    *portal_urlpatterns,
]


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def assert_calm_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert MESSAGE in body
    assert "Traceback" not in body
    assert "OperationalError" not in body and "InterfaceError" not in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/db-weg/", "/verbindung-zu/", "/verpackt/"])
def test_database_error_gives_503_with_retry_after(failing_client, url):
    assert_calm_503(failing_client.get(url))


def test_503_keeps_the_security_headers(failing_client):
    response = failing_client.get("/db-weg/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_other_errors_still_give_500(failing_client):
    response = failing_client.get("/fehler/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    body = response.content.decode()
    assert "Entschuldigung, gerade klappt etwas nicht" in body
    assert MESSAGE not in body
    assert "ZeroDivisionError" not in body


def test_the_error_is_still_logged(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        failing_client.get("/db-weg/")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.status_code == 503
    assert record.exc_info[0] is OperationalError


def test_503_is_not_stored_by_the_page_cache(failing_client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    FLAKY_DATABASE["down"] = True
    assert failing_client.get("/wackelig/").status_code == 503
    FLAKY_DATABASE["down"] = False
    response = failing_client.get("/wackelig/")
    assert response.status_code == 200
    assert response.content == b"wieder da"


# A real outage: the request's own connection cannot be opened.

UNREACHABLE = {
    "postgresql": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "faults_nowhere",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "1",  # nothing listens here: "connection refused"
        "OPTIONS": {"connect_timeout": 2},
    },
    "sqlite": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/nonexistent-directory/quartier.sqlite3",  # "unable to open database file"
    },
}


@pytest.fixture(params=sorted(UNREACHABLE))
def database_away(request, django_db_blocker):
    """Swap the default connection for one that cannot connect, for this thread only."""
    original = connections["default"]
    settings_dict = {**original.settings_dict, **UNREACHABLE[request.param]}
    away = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="default")
    connections["default"] = away
    try:
        with django_db_blocker.unblock():
            yield request.param
    finally:
        away.close()
        connections["default"] = original


@pytest.mark.parametrize(
    "url, cookies",
    [
        ("/ideen/", {}),  # an anonymous visitor on a list page
        ("/", {"sessionid": "x" * 32}),  # a signed-in resident on the home page (session)
        ("/gibt-es-nicht/", {"sessionid": "x" * 32}),  # the 404 page itself needs the user
    ],
)
def test_pages_answer_503_while_the_database_is_away(database_away, url, cookies):
    client = Client(raise_request_exception=False)
    client.cookies.load(cookies)
    response = client.get(url)
    assert_calm_503(response)
    assert "Content-Security-Policy" in response
    assert '<html lang="de" dir="ltr">' in response.content.decode()


def test_english_pages_answer_503_in_english_markup(database_away):
    response = Client(raise_request_exception=False).get("/en/ideen/")
    assert response.status_code == 503
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_the_outage_is_a_wrapped_driver_error(database_away):
    with pytest.raises(OperationalError) as raised:
        connections["default"].ensure_connection()
    driver = {"postgresql": "psycopg", "sqlite": "sqlite3"}[database_away]
    assert type(raised.value.__cause__).__module__.startswith(driver)
