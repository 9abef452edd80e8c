"""The address combobox in a real browser: keyboard only, before any map tile is allowed."""

import io
import json
import os

import pytest
from playwright.sync_api import expect

from neighbourhoods import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def demo_areas():
    demo.load(stdout=io.StringIO())  # areas and the demo's address list


def test_typing_an_address_with_the_keyboard_lands_on_its_area(
    page, live_server, axe_check, demo_areas
):
    page.goto(live_server.url + "/quartiere/finden/")
    combobox = page.get_by_role("combobox", name="Straße und Hausnummer")
    axe_check(page)
    combobox.focus()
    page.keyboard.type("speicherstr 3", delay=20)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert combobox.get_attribute("aria-expanded") == "true"
    status = page.locator("#address-status")
    expect(status).to_contain_text("Vorschl")  # the live region counts the suggestions
    axe_check(page)  # with the list open
    page.keyboard.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active == "address-option-0"
    assert page.locator("#address-option-0").get_attribute("aria-selected") == "true"
    assert "Speicherstraße 3," in page.locator("#address-option-0").text_content()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/quartiere/suedstadt-am-hafen/")
    assert page.get_by_text("Speicherstraße 3, 44143 Musterstadt liegt in: Südstadt-Am Hafen.")
    assert not page.foreign_requests


def test_escape_closes_the_list_and_enter_without_choice_sends_the_form(
    page, live_server, demo_areas
):
    page.goto(live_server.url + "/quartiere/finden/")
    combobox = page.get_by_role("combobox", name="Straße und Hausnummer")
    combobox.focus()
    page.keyboard.type("Parkalee 3", delay=20)
    page.get_by_role("option").first.wait_for()  # a near miss: "Parkallee 3"
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("listbox").is_hidden()
    page.keyboard.press("Enter")
    page.wait_for_url("**/quartiere/finden/?adresse=Parkalee+3")
    assert page.get_by_role("link", name="Parkallee 3").is_visible()


def test_the_mood_form_takes_its_area_from_an_address_before_tiles_are_allowed(
    page, live_server, demo_areas
):
    page.goto(live_server.url + "/stimmung/")
    combobox = page.get_by_role("combobox", name="Oder Adresse suchen")
    combobox.focus()
    page.keyboard.type("Kanalstraße 10", delay=20)
    page.locator("#mood-address-list [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_area option:checked").text_content() == "Nordstadt"
    point = page.locator("#id_point").input_value()
    assert '"type":"Point"' in point
    expect(page.locator("#mood-address-status")).to_contain_text("Nordstadt")
    assert not page.foreign_requests  # no tile was loaded: the consent was never given


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(page, live_server, demo_areas, width):
    if not SCREENSHOTS:
        pytest.skip("SCREENSHOT_DIR not set")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/quartiere/finden/")
    page.get_by_role("combobox").focus()
    page.keyboard.type("Markt", delay=20)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.screenshot(path=f"{SCREENSHOTS}/finden-{width}.png", full_page=True)
    page.goto(live_server.url + "/quartiere/finden/?adresse=Parkalee+3")
    page.screenshot(path=f"{SCREENSHOTS}/finden-near-miss-{width}.png", full_page=True)
    page.goto(live_server.url + "/stimmung/")
    page.get_by_role("combobox", name="Oder Adresse suchen").focus()
    page.keyboard.type("Kanalstraße 1", delay=20)
    page.locator("#mood-address-list [role=option]").first.wait_for()
    page.screenshot(path=f"{SCREENSHOTS}/stimmung-{width}.png", full_page=True)


def test_staff_point_picker_places_the_point_by_address(page, live_server):
    from neighbourhoods.addresses.models import Address
    from tests.browser.test_map_widgets import axe_widget, login
    from tests.factories import make_area, make_manager, square
    from tests.participation.meeting_factories import make_meeting

    area = make_area("Innenstadt", boundary=square(7.46, 51.49, 0.02))
    make_manager(area, username="qm-innenstadt")
    meeting = make_meeting(area, title="Stadtteilrunde", location=None)
    Address.objects.create(
        street="Marktstraße", housenumber="5", postcode="44135", lng=7.465, lat=51.495
    )
    login(page, live_server, "qm-innenstadt")
    page.goto(f"{live_server.url}/verwaltung/participation/meeting/{meeting.pk}/change/")
    combobox = page.get_by_role("combobox", name="Adresse suchen")
    combobox.focus()
    page.keyboard.type("marktstr 5", delay=20)
    page.locator("#id_location_address-list [role=option]").first.wait_for()
    axe_widget(page, ".point-widget")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses; does not send the admin form
    page.wait_for_selector("#id_location_map .leaflet-marker-icon")
    assert json.loads(page.input_value("#id_location"))["coordinates"] == [7.465, 51.495]
    assert page.input_value("#id_location_lat") == "51.495000"
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    meeting.refresh_from_db()
    assert meeting.location == {"type": "Point", "coordinates": [7.465, 51.495]}
