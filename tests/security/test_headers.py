"""Security headers on every kind of response: HTML, JSON/GeoJSON, .ics, CSV, 404, admin."""

import pytest
from django.middleware.security import SecurityMiddleware

from participation.meetings.models import Registration
from tests.factories import make_coordination, make_user
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_security(settings):
    """What settings.py sets with DEBUG=0 (HSTS is sent on HTTPS requests only)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.fixture
def objects():
    north, _south = two_areas()
    north.boundary = {
        "type": "Polygon",
        "coordinates": [[[7.4, 51.4], [7.41, 51.4], [7.41, 51.41], [7.4, 51.41], [7.4, 51.4]]],
    }
    north.save()
    idea = make_idea(north)
    meeting = make_meeting(north)
    Registration.objects.create(meeting=meeting, name="Ida", email="ida@example.org")
    return {"area": north, "idea": idea, "meeting": meeting}


def _responses(client, objects):
    area, idea, meeting = objects["area"], objects["idea"], objects["meeting"]
    public = {
        "html": f"/ideen/{idea.pk}/",
        "html-en": "/en/ideen/",
        "geojson": "/ideen.geojson",
        "area-geojson": f"/quartiere/{area.slug}/grenze.geojson",
        "ics": f"/treffen/{meeting.pk}.ics",
        "area-ics": f"/quartiere/{area.slug}/treffen.ics",
        "404": "/gibt-es-nicht/",
        "admin-login": "/verwaltung/login/",
        "redirect": "/konto/",
    }
    for kind, path in public.items():
        yield kind, path, client.get(path, secure=True)
    client.force_login(make_user("berta"))
    yield "json-export", "/konto/daten.json", client.get("/konto/daten.json", secure=True)
    client.force_login(make_coordination("koordination"))
    for kind, path in {
        "admin": "/verwaltung/participation/idea/",
        "admin-change": f"/verwaltung/participation/idea/{idea.pk}/change/",
        "csv": f"/verwaltung/participation/meeting/{meeting.pk}/teilnahmeliste.csv",
    }.items():
        yield kind, path, client.get(path, secure=True)


def assert_security_headers(response, where):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert "object-src 'none'" in csp, where
    assert "default-src 'self'" in csp, where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert "camera=()" in headers.get("Permissions-Policy", ""), where
    hsts = headers.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, where


def test_every_response_type_carries_the_security_headers(client, objects, production_security):
    seen = set()
    for kind, path, response in _responses(client, objects):
        where = f"{kind} {path} ({response.status_code})"
        assert response.status_code in {200, 302, 404}, where
        assert_security_headers(response, where)
        seen.add(response.headers.get("Content-Type", "").split(";")[0])
    assert {"text/html", "text/calendar", "text/csv"} <= seen
    assert any("json" in content_type for content_type in seen)


def test_static_files_carry_the_security_headers(client, settings, production_security):
    """WhiteNoise answers above the CSP, X-Frame-Options and Permissions-Policy middlewares."""
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source folders, no collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    for path in ("/static/css/quartier.css", "/static/leaflet/leaflet.js"):
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert_security_headers(response, path)


def test_health_check_carries_the_security_headers(client, production_security):
    """/healthz answers before the security middlewares (load balancers call it by IP)."""
    response = client.get("/healthz", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, "/healthz")
    assert "Strict-Transport-Security" not in client.get("/healthz").headers  # plain HTTP


def test_refused_request_body_carries_the_security_headers(client, production_security):
    response = client.generic(
        "POST", "/ideen/neu/", b"", secure=True, CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert_security_headers(response, "413")


def test_personal_and_staff_downloads_are_never_stored(client, objects):
    """Reports, the participants list and the personal-data export: no-store, so neither a
    shared proxy nor the browser's cache keeps them."""
    client.force_login(make_user("berta"))
    downloads = {"/konto/daten.json": client.get("/konto/daten.json")}
    client.force_login(make_coordination("koordination"))
    meeting = objects["meeting"]
    for path in (
        "/berichte/",
        "/berichte/bericht.xlsx",
        "/berichte/ideas-per-month.csv",
        f"/verwaltung/participation/meeting/{meeting.pk}/teilnahmeliste.csv",
    ):
        downloads[path] = client.get(path)
    for path, response in downloads.items():
        assert response.status_code == 200, path
        assert "no-store" in response.get("Cache-Control", ""), path
        assert "private" in response.get("Cache-Control", ""), path


def test_production_settings_enable_hsts_and_secure_cookies(settings):
    """settings.py with DEBUG=0 (checked in a subprocess by the foundation's deploy test)."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "quartier" / "settings.py").read_text()
    assert '"0" if DEBUG else "31536000"' in source
    assert "SESSION_COOKIE_SECURE = not DEBUG" in source
    assert "CSRF_COOKIE_SECURE = not DEBUG" in source
    middleware = f"{SecurityMiddleware.__module__}.{SecurityMiddleware.__name__}"
    assert middleware in settings.MIDDLEWARE  # sends HSTS


def test_csp_has_no_nonce_less_inline_allowance(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name in ("script-src", "style-src"):
        assert all("unsafe" not in str(value) for value in directives[name])


def test_cookies_are_http_only(client):
    """Found by wapiti: the CSRF cookie lacked HttpOnly (no script reads it)."""
    response = client.get("/konto/anmelden/")
    assert response.cookies["csrftoken"]["httponly"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"
