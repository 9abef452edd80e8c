"""Map tiles from another origin load only after consent; tiles on the portal's own origin
load at once. The page with a map comes from a test-only URLconf (tests/map_test_urls.py)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def map_urls(settings):
    settings.ROOT_URLCONF = "tests.map_test_urls"


def _wait_for(page, condition, timeout_ms=8000):
    waited = 0
    while not condition() and waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
    return condition()


def test_no_tile_request_before_consent_then_tiles_after(page, live_server, settings, map_urls):
    settings.MAP_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    page.goto(live_server.url + "/kartentest/")
    page.wait_for_selector("#test-map.map-ready")
    consent = page.locator(".map-consent")
    assert consent.is_visible()
    assert "https://tile.openstreetmap.org" in consent.inner_text()
    page.wait_for_timeout(500)
    assert page.foreign_requests == []

    page.get_by_role("button", name="Karte laden").click()
    assert _wait_for(page, lambda: page.foreign_requests)
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in page.foreign_requests)
    assert consent.is_hidden()

    # Consent is remembered for the visit: the next page loads tiles without asking.
    page.foreign_requests.clear()
    page.reload()
    page.wait_for_selector("#test-map.map-ready")
    assert page.locator(".map-consent").is_hidden()
    assert _wait_for(page, lambda: page.foreign_requests)


def test_tiles_on_own_origin_load_without_consent(page, live_server, settings, map_urls):
    settings.MAP_TILES_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    tile_requests = []
    page.on("request", lambda r: "/static/tiles/" in r.url and tile_requests.append(r.url))
    page.goto(live_server.url + "/kartentest/")
    page.wait_for_selector("#test-map.map-ready")
    assert page.locator(".map-consent").count() == 0
    assert _wait_for(page, lambda: tile_requests)
    assert page.foreign_requests == []


def test_map_page_is_accessible_before_consent(page, live_server, settings, map_urls, axe_check):
    settings.MAP_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    page.goto(live_server.url + "/kartentest/")
    page.wait_for_selector("#test-map.map-ready")
    axe_check(page)
