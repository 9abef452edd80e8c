"""The map widgets of the admin: the point picker (hidden GeoJSON input + map + latitude and
longitude fields) and what it posts."""

import pytest
from django import forms
from django.urls import reverse

from neighbourhoods.forms import PointField, PointWidget
from neighbourhoods.geometry import POINT_INVALID_MESSAGE
from tests.factories import make_area, make_manager, square


class PlaceForm(forms.Form):
    location = PointField(widget=PointWidget)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"location_lat": "51.5", "location_lng": "7.47"}, [7.47, 51.5]),
        ({"location_lat": " 51,5 ", "location_lng": "7,470001"}, [7.470001, 51.5]),
        # the number fields win over the hidden input: they are what the person typed
        (
            {
                "location": '{"type": "Point", "coordinates": [1, 1]}',
                "location_lat": "51.5",
                "location_lng": "7.47",
            },
            [7.47, 51.5],
        ),
        ({"location": '{"type": "Point", "coordinates": [7.47, 51.5]}'}, [7.47, 51.5]),
        ({"location_lat": "", "location_lng": ""}, None),
        ({"location": '{"type": "Point", "coordinates": [1, 1]}', "location_lat": ""}, None),
        ({}, None),
    ],
)
def test_point_picker_posts(data, expected):
    form = PlaceForm(data)
    assert form.is_valid(), form.errors
    value = form.cleaned_data["location"]
    assert (value and value["coordinates"]) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"location_lat": "51.5", "location_lng": ""},
        {"location_lat": "abc", "location_lng": "7"},
        {"location_lat": "nan", "location_lng": "7"},
        {"location_lat": "inf", "location_lng": "7"},
        {"location_lat": "91", "location_lng": "7"},
        {"location_lat": "51", "location_lng": "181"},
        {"location_lat": "1e400", "location_lng": "7"},
        {"location_lat": "[" * 5000, "location_lng": "7"},
        {"location": "null"},
        {"location": "[" * 100000},
    ],
)
def test_point_picker_refuses_hostile_values_with_the_one_message(data):
    form = PlaceForm(data)
    assert not form.is_valid()
    assert form.errors["location"] == [str(POINT_INVALID_MESSAGE)]


def test_point_picker_renders_map_fields_and_the_address_search_hook():
    html = PlaceForm(initial={"location": {"type": "Point", "coordinates": [7.47, 51.5]}}).as_div()
    assert 'type="hidden" name="location" id="id_location"' in html
    assert 'name="location_lat" id="id_location_lat" value="51.500000"' in html
    assert 'name="location_lng" id="id_location_lng" value="7.470000"' in html
    assert 'data-point-input="id_location"' in html
    assert 'data-map-config="id_location_config"' in html
    assert 'id="id_location_config"' in html
    assert "Punkt entfernen" in html
    empty = PlaceForm().as_div()
    assert 'value="null"' not in empty and 'id="id_location_lat" value=""' in empty


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:participation_meeting_add",
        "admin:network_partner_add",
        "admin:participation_idea_add",
    ],
)
def test_admin_forms_with_a_place_use_the_point_picker(client, url_name):
    area = make_area("Innenstadt", boundary=square(7.46, 51.49))
    client.force_login(make_manager(area))
    page = client.get(reverse(url_name)).content.decode()
    assert "point-widget" in page
    assert "leaflet/leaflet.js" in page and "js/maps.js" in page
    assert "GeoJSON" not in page
