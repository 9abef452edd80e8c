import io

import pytest

from neighbourhoods import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_areas():
    demo.load(stdout=io.StringIO())


def test_overview_map_list_and_click_through_the_finder(page, live_server, axe_check, demo_areas):
    page.goto(live_server.url + "/quartiere/")
    page.wait_for_selector("#area-map.map-ready")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    assert page.locator("#area-map path.leaflet-interactive").count() == 6
    tree = page.locator("ul.area-tree")
    assert tree.get_by_role("link", name="Südstadt", exact=True).is_visible()
    assert tree.get_by_role("link", name="Südstadt-Am Park").is_visible()
    axe_check(page)

    # The map fits the three quarters; its centre lies in the Innenstadt. A click there goes
    # through /quartiere/finden/ to the Innenstadt page.
    with page.expect_navigation():
        page.locator("#area-map").click(
            position={"x": box_centre(page)[0], "y": box_centre(page)[1]}
        )
    assert page.url.endswith("/quartiere/innenstadt/")
    assert page.locator("h1").inner_text() == "Innenstadt"
    assert page.foreign_requests == []


def box_centre(page):
    box = page.locator("#area-map").bounding_box()
    return box["width"] / 2, box["height"] / 2


def test_detail_page_is_accessible_and_shows_the_boundary(page, live_server, axe_check, demo_areas):
    page.goto(live_server.url + "/quartiere/suedstadt/")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    assert page.get_by_role("heading", name="Profil des Gebiets").is_visible()
    axe_check(page)
    page.goto(live_server.url + "/quartiere/suedstadt-ost/")
    assert page.get_by_text("Daraus wurde:").is_visible()
    axe_check(page)


def test_finder_pages_are_accessible(page, live_server, axe_check, demo_areas):
    response = page.goto(live_server.url + "/quartiere/finden/?lat=abc&lng=1")
    assert response.status == 400
    axe_check(page)
    page.goto(live_server.url + "/quartiere/finden/?lat=10&lng=10")
    assert page.get_by_text("außerhalb der Quartiere").is_visible()


def test_admin_boundary_editor_shows_the_boundary_without_script_errors(page, live_server):
    from neighbourhoods.models import Area, AreaAssignment
    from tests.factories import make_user

    demo.load(stdout=io.StringIO())
    # Not through the group: transactional tests flush the groups the data migration made.
    AreaAssignment.objects.create(
        user=make_user("koordinatorin", is_staff=True),
        area=Area.objects.get(slug="innenstadt"),
        role=AreaAssignment.Role.COORDINATION,
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", "koordinatorin")
    page.fill("#id_password", "geheim-und-lang-genug")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/verwaltung/neighbourhoods/area/")
    page.get_by_role("link", name="Innenstadt").click()
    page.wait_for_selector("#id_boundary_map path.leaflet-interactive")
    assert page.locator("#id_boundary_map .leaflet-draw").count() == 1
    assert '"Polygon"' in page.locator("#id_boundary").input_value()
    assert errors == []
