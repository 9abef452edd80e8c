"""Split and retire as a quarter manager, with the mouse: draw two parts of a quarter on the
map, name them, preview, save; retire an area after its confirmation page. No console error,
no CSP violation, no axe violation."""

import pytest

from tests.browser.test_map_widgets import CSP_WATCH, login, screenshot
from tests.factories import make_area, make_manager, square


def rect(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def axe(page, selector="#content-main"):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context=selector).response.get("violations", [])
    assert not violations, [(v["id"], v["help"], v["nodes"][0]["target"]) for v in violations]


@pytest.fixture
def watched(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_WATCH)
    page.errors = errors
    return page


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.evaluate("window.cspViolations") == []


def latlng_to_screen(page, lng, lat):
    """The page position of a coordinate on the split map (Leaflet's own projection)."""
    point = page.evaluate(
        """([lng, lat]) => {
          const element = document.getElementById("split-map");
          const box = element.getBoundingClientRect();
          const map = window.QuartierMaps.mapOf("split-map");
          const p = map.latLngToContainerPoint([lat, lng]);
          return [box.left + p.x, box.top + p.y];
        }""",
        [lng, lat],
    )
    return point


def draw_polygon(page, corners):
    page.click("#split-map a.leaflet-draw-draw-polygon")
    for lng, lat in corners:
        x, y = latlng_to_screen(page, lng, lat)
        page.mouse.click(x, y)
        page.wait_for_timeout(120)
    x, y = latlng_to_screen(page, *corners[0])
    page.mouse.click(x, y)
    page.wait_for_timeout(200)


def test_manager_draws_a_split_previews_and_saves(watched, live_server):
    from neighbourhoods.models import Area

    page = watched
    quarter = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_manager(quarter, username="qm-innenstadt")
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{quarter.pk}/change/")
    page.get_by_role("link", name="Aufteilen").click()
    page.wait_for_url("**/aufteilen/")
    page.wait_for_selector("#split-map path.map-role-area")  # drawn without tiles
    assert page.locator("a.leaflet-draw-draw-polygon").get_attribute("title") == "Fläche zeichnen"
    axe(page)
    page.locator("#split-map").scroll_into_view_if_needed()
    # West part: slightly short of the middle, so the preview finds a gap.
    draw_polygon(page, [(7.4605, 51.4905), (7.4690, 51.4905), (7.4690, 51.5095), (7.4605, 51.5095)])
    draw_polygon(page, [(7.4710, 51.4905), (7.4795, 51.4905), (7.4795, 51.5095), (7.4710, 51.5095)])
    assert page.locator("#split-names input").count() == 2
    page.fill("#id_name_1", "Altstadt West")
    page.fill("#id_name_2", "Altstadt Ost")
    screenshot(page, "split-drawn")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    page.wait_for_selector("#split-preview-title")
    assert "Von keinem Teil abgedeckt" in page.inner_text(".restructure-pieces")
    page.wait_for_selector("#split-map path.map-role-uncovered")  # the gap, drawn in its style
    assert page.locator("#split-map path.map-role-part").count() == 2
    assert page.input_value("#id_name_1") == "Altstadt West"
    assert Area.objects.count() == 1  # the preview wrote nothing
    axe(page)
    screenshot(page, "split-preview")
    page.get_by_role("button", name="Aufteilen").click()
    page.wait_for_selector(".messagelist .success")
    names = sorted(quarter.children.values_list("name", flat=True))
    assert names == ["Altstadt Ost", "Altstadt West"]
    assert_clean(page)


def test_manager_retires_an_area_after_the_confirmation(watched, live_server):
    from neighbourhoods.models import Area
    from tests.participation.helpers import make_idea, point

    page = watched
    quarter = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    old = make_area("Altes Viertel", boundary=rect(7.46, 51.49, 7.48, 51.50), parent=quarter)
    make_area("Neues Viertel", boundary=rect(7.46, 51.50, 7.48, 51.51), parent=quarter)
    make_idea(old, location=point(7.47, 51.495))
    make_manager(quarter, username="qm-innenstadt")
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{old.pk}/change/")
    page.get_by_role("link", name="Beenden").click()
    page.wait_for_url("**/beenden/")
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Neues Viertel").check()
    page.get_by_role("button", name="Weiter: Übersicht anzeigen").click()
    page.wait_for_selector("#retire-preview-title")
    table = page.inner_text(".restructure-moves").lower()
    assert "nach „neues viertel“" in table and "ideen, stärken und schwächen\t1" in table
    assert Area.objects.get(pk=old.pk).is_current
    axe(page)
    screenshot(page, "retire-confirm")
    page.get_by_role("button", name="Beenden bestätigen").click()
    page.wait_for_selector(".messagelist .success")
    assert not Area.objects.get(pk=old.pk).is_current
    assert_clean(page)


def test_keyboard_split_through_the_text(watched, live_server):
    """Without drawing: the GeoJSON text and the name fields, all by keyboard."""
    import json

    page = watched
    quarter = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_manager(quarter, username="qm-innenstadt")
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{quarter.pk}/aufteilen/")
    page.wait_for_selector("#split-map path.map-role-area")
    page.locator("summary", has_text="GeoJSON-Text").press("Enter")
    text = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Nord"},
                "geometry": rect(7.46, 51.50, 7.48, 51.51),
            }
        ],
    }
    page.fill("#id_parts", json.dumps(text))
    page.locator("#id_parts").press("Tab")
    page.wait_for_selector("#id_name_1")
    assert page.input_value("#id_name_1") == "Nord"
    page.get_by_role("button", name="Vorschau anzeigen").press("Enter")
    page.wait_for_selector("#split-preview-title")
    page.get_by_role("button", name="Aufteilen").press("Enter")
    page.wait_for_selector(".messagelist .success")
    assert quarter.children.get().name == "Nord"
    assert_clean(page)


def test_a_file_of_parts_is_shown_on_the_map_before_the_preview(watched, live_server, tmp_path):
    import json

    page = watched
    quarter = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_manager(quarter, username="qm-innenstadt")
    upload = tmp_path / "teile.geojson"
    upload.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"NAME": "Süd"},
                        "geometry": rect(7.46, 51.49, 7.48, 51.50),
                    },
                    {
                        "type": "Feature",
                        "properties": {"NAME": "Nord"},
                        "geometry": rect(7.46, 51.50, 7.48, 51.51),
                    },
                ],
            }
        )
    )
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{quarter.pk}/aufteilen/")
    page.wait_for_selector("#split-map path.map-role-area")
    page.locator("summary", has_text="aus einer Datei").click()
    page.fill("#id_name_property", "NAME")
    page.set_input_files("#id_file", str(upload))
    page.wait_for_selector("#split-upload-status:has-text('auf der Karte zu sehen')")
    assert [page.input_value("#id_name_1"), page.input_value("#id_name_2")] == ["Süd", "Nord"]
    assert page.locator("#split-map .split-number").count() == 2
    page.get_by_role("button", name="Vorschau anzeigen").click()
    page.wait_for_selector("#split-preview-title")
    assert "vollständig ab" in page.inner_text(".split-preview")
    page.get_by_role("button", name="Aufteilen").click()
    page.wait_for_selector(".messagelist .success")
    assert sorted(quarter.children.values_list("name", flat=True)) == ["Nord", "Süd"]
    assert_clean(page)
