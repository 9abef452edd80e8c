"""The admin's map widgets as a quarter manager: the point picker."""

import json

import pytest

from tests.factories import make_area, make_manager, square


def login(page, live_server, username):
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "geheim-und-lang-genug")
    page.click("input[type=submit]")


def axe_widget(page, selector):
    """axe on the widget only: the rest of Django's change form (split date fields, inline
    tables) is not ours."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context=selector).response.get("violations", [])
    assert not violations, [(v["id"], v["help"], v["nodes"][0]["target"]) for v in violations]


def screenshot(page, name):
    import os

    folder = os.environ.get("QUARTIER_SCREENSHOTS")
    if folder:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1200, "height": 900})


@pytest.fixture
def meeting_setup():
    from tests.participation.meeting_factories import make_meeting

    area = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    manager = make_manager(area, username="qm-innenstadt")
    meeting = make_meeting(area, title="Stadtteilrunde", location=None)
    return {"area": area, "manager": manager, "meeting": meeting}


def test_manager_places_a_meeting_by_clicking_the_map(page, live_server, meeting_setup):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    meeting = meeting_setup["meeting"]
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
    page.wait_for_selector("#id_location_map path")  # the area outline, drawn without tiles
    assert page.input_value("#id_location") == ""
    assert errors == [], errors
    screenshot(page, "point-picker-empty")
    axe_widget(page, ".point-widget")
    page.locator("#id_location_map").scroll_into_view_if_needed()
    box = page.locator("#id_location_map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    page.wait_for_selector("#id_location_map .leaflet-marker-icon")
    clicked = json.loads(page.input_value("#id_location"))
    lng, lat = clicked["coordinates"]
    assert 7.46 < lng < 7.48 and 51.49 < lat < 51.51
    assert page.input_value("#id_location_lat") == f"{lat:.6f}"
    assert page.input_value("#id_location_lng") == f"{lng:.6f}"
    screenshot(page, "point-picker-placed")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    meeting.refresh_from_db()
    assert meeting.location == {"type": "Point", "coordinates": [lng, lat]}


def test_remove_point_clears_the_place(page, live_server, meeting_setup):
    meeting = meeting_setup["meeting"]
    meeting.location = {"type": "Point", "coordinates": [7.47, 51.5]}
    meeting.save()
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
    page.wait_for_selector("#id_location_map .leaflet-marker-icon")
    page.get_by_role("button", name="Punkt entfernen").click()
    assert page.input_value("#id_location") == ""
    assert page.locator("#id_location_map .leaflet-marker-icon").count() == 0
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    meeting.refresh_from_db()
    assert meeting.location is None


def test_point_picker_by_latitude_and_longitude_without_javascript(
    browser, live_server, meeting_setup
):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        meeting = meeting_setup["meeting"]
        login(page, live_server, "qm-innenstadt")
        page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
        page.get_by_label("Breitengrad").fill("51.501234")
        page.get_by_label("Längengrad").fill("7.471234")
        page.click("input[name=_save]")
        assert page.locator(".messagelist .success").count() == 1
        meeting.refresh_from_db()
        assert meeting.location == {"type": "Point", "coordinates": [7.471234, 51.501234]}
    finally:
        context.close()


def test_typed_coordinates_move_the_marker(page, live_server, meeting_setup):
    meeting = meeting_setup["meeting"]
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
    page.wait_for_selector("#id_location_map path")
    page.get_by_label("Breitengrad").fill("51.5")
    page.get_by_label("Längengrad").fill("7.47")
    page.get_by_label("Längengrad").press("Tab")
    page.wait_for_selector("#id_location_map .leaflet-marker-icon")
    assert json.loads(page.input_value("#id_location"))["coordinates"] == [7.47, 51.5]
    # the hook for an address search
    page.evaluate("QuartierMaps.setPoint('id_location', 7.465, 51.495)")
    assert page.input_value("#id_location_lat") == "51.495000"


def test_boundary_editor_in_german_with_a_file_preview(page, live_server, tmp_path):
    from neighbourhoods.models import Area
    from tests.factories import make_coordination

    area = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_coordination("koordinatorin")
    login(page, live_server, "koordinatorin")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{area.pk}/change/")
    page.wait_for_selector("#id_boundary_map .leaflet-draw")
    assert page.locator("a.leaflet-draw-draw-polygon").get_attribute("title") == "Fläche zeichnen"
    assert "Draw a" not in page.content()
    axe_widget(page, ".boundary-widget")
    bigger = square(7.455, 51.485, 0.03)
    upload = tmp_path / "grenze.geojson"
    upload.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": bigger}))
    page.set_input_files("#id_boundary_file", str(upload))
    page.wait_for_selector("#id_boundary_status:has-text('auf der Karte zu sehen')")
    assert json.loads(page.input_value("#id_boundary")) == bigger
    screenshot(page, "boundary-editor-preview")
    broken = tmp_path / "kaputt.geojson"
    broken.write_text('{"type": "Point", "coordinates": [7, 51]}')
    page.set_input_files("#id_boundary_file", str(broken))
    page.wait_for_selector("#id_boundary_status.errornote")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    area.refresh_from_db()
    assert area.boundary == bigger
    assert Area.objects.count() == 1


CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sample);
});
"""


def test_dragging_the_marker_raises_no_console_error(page, live_server, meeting_setup):
    """Dragging the point picker's marker used to break the CSP (inline styles)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_WATCH)
    meeting = meeting_setup["meeting"]
    meeting.location = {"type": "Point", "coordinates": [7.47, 51.5]}
    meeting.save()
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
    marker = page.locator("#id_location_map .leaflet-marker-icon")
    marker.wait_for()
    page.locator("#id_location_map").scroll_into_view_if_needed()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 6 * step, y + 3 * step)
    page.mouse.up()
    page.wait_for_function("document.getElementById('id_location_lat').value !== '51.500000'")
    lng, lat = json.loads(page.input_value("#id_location"))["coordinates"]
    assert lng > 7.47 and lat < 51.5
    page.locator("#id_location_map").hover()
    page.wait_for_timeout(300)
    assert errors == [], errors
    assert page.evaluate("window.cspViolations") == []


def test_editing_a_boundary_by_dragging_a_corner_raises_no_console_error(page, live_server):
    """The boundary editor: drag a corner in Leaflet.draw's edit mode, apply, save; no console
    error and no CSP violation on the way (Leaflet.draw's deprecation warning is no error)."""
    from tests.factories import make_coordination

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_WATCH)
    area = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_coordination("koordinatorin")
    login(page, live_server, "koordinatorin")
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{area.pk}/change/")
    page.wait_for_selector("#id_boundary_map .leaflet-draw")
    page.locator("#id_boundary_map").scroll_into_view_if_needed()
    page.click("#id_boundary_map a.leaflet-draw-edit-edit")
    corner = page.locator("#id_boundary_map .leaflet-editing-icon").first
    corner.wait_for()
    box = corner.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x - 3 * step, y + 3 * step)
    page.mouse.up()
    page.get_by_role("link", name="Übernehmen").click()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    area.refresh_from_db()
    assert area.boundary != square(7.46, 51.49, 0.02)
    assert errors == [], errors
    assert page.evaluate("window.cspViolations") == []
