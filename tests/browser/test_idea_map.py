"""The idea map in the browser: it asks only for the visible box, shows area clusters while
zoomed out and single ideas after zooming in, and talks to no other origin."""

from urllib.parse import parse_qs, urlsplit

import pytest

from participation.ideas import selectors
from tests.participation.helpers import make_idea, point, two_areas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for(page, condition, timeout_ms=8000):
    waited = 0
    while not condition() and waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
    return condition()


def _bbox(url):
    return parse_qs(urlsplit(url).query).get("bbox", [None])[0]


def test_map_loads_the_box_clusters_then_single_ideas(page, live_server, monkeypatch, axe_check):
    monkeypatch.setattr(selectors, "MAP_CLUSTER_LIMIT", 2)
    north, south = two_areas()
    for number in range(3):
        make_idea(north, title=f"Nord {number}", location=point(7.462 + number / 1000, 51.514))
    make_idea(south, title="Süd", location=point(7.465, 51.495))
    requests = []
    page.on("request", lambda r: "/ideen.geojson" in r.url and requests.append(r.url))

    page.goto(live_server.url + "/ideen/karte/?kind=idea")
    cluster = page.locator(".map-cluster", has_text="3")
    cluster.wait_for()
    assert page.locator(".map-cluster").count() == 2
    first = requests[0]
    assert _bbox(first) and parse_qs(urlsplit(first).query)["kind"] == ["idea"]
    hint = page.locator(".map-hint")
    assert hint.is_visible() and "heranzoomen" in hint.inner_text()
    axe_check(page)

    cluster.click()
    popup = page.locator(".leaflet-popup-content")
    assert "3 Beiträge in Nordstadt" in popup.inner_text()
    link = popup.get_by_role("link", name="Beiträge anzeigen")
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query == {"kind": ["idea"], "area": [str(north.pk)]}
    page.keyboard.press("Escape")

    monkeypatch.setattr(selectors, "MAP_CLUSTER_LIMIT", 500)
    seen = len(requests)
    page.locator(".leaflet-control-zoom-in").click()
    assert _wait_for(page, lambda: len(requests) > seen)
    assert _bbox(requests[-1]) and _bbox(requests[-1]) != _bbox(first)
    page.locator("path.leaflet-interactive").first.wait_for()
    assert page.locator(".map-cluster").count() == 0
    assert hint.is_hidden()
    assert page.locator("path.leaflet-interactive").count() >= 1

    # panning asks again, for the new box
    seen = len(requests)
    box = page.locator("#ideas-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 150, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert _wait_for(page, lambda: len(requests) > seen)
    assert _bbox(requests[-1]) not in {_bbox(url) for url in requests[:seen]}
    assert page.foreign_requests == []
