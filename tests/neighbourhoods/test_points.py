"""The one point toolkit (neighbourhoods.geometry / neighbourhoods.forms.PointField)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from neighbourhoods.forms import PointField
from neighbourhoods.geometry import (
    POINT_INVALID_MESSAGE,
    box_around,
    clean_point,
    distance_m,
    load_json,
    merge_boxes,
    nesting_depth,
    point_lng_lat,
    validate_point,
)
from tests.hostile_points import HOSTILE_POINTS


class PointForm(forms.Form):
    location = PointField()


@pytest.mark.parametrize("value", HOSTILE_POINTS.values(), ids=HOSTILE_POINTS.keys())
def test_a_form_refuses_every_malformed_point_with_one_message(value):
    form = PointForm({"location": value})
    assert not form.is_valid()
    assert form.errors["location"] == [str(POINT_INVALID_MESSAGE)]


@pytest.mark.parametrize("value", HOSTILE_POINTS.values(), ids=HOSTILE_POINTS.keys())
def test_the_model_validator_refuses_every_malformed_point(value):
    with pytest.raises(ValidationError) as info:
        validate_point(value)
    assert info.value.messages == [str(POINT_INVALID_MESSAGE)]
    assert point_lng_lat(value) is None


@pytest.mark.parametrize(
    "value",
    [
        '{"type": "Point", "coordinates": [7.4700001, 51.5]}',
        '  {"type": "Point", "coordinates": [7.47, 51.5, 120]}  ',
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.47, 51.5]}}',
    ],
)
def test_good_points_are_normalised(value):
    form = PointForm({"location": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["location"] == {"type": "Point", "coordinates": [7.47, 51.5]}


def test_an_empty_point_is_none_unless_required():
    assert PointForm({"location": ""}).is_valid()
    assert PointForm({}).is_valid()
    assert clean_point("  ") is None

    class Required(forms.Form):
        location = PointField(required=True)

    assert not Required({"location": ""}).is_valid()


def test_the_model_validator_wants_a_dict():
    validate_point(None)
    validate_point({"type": "Point", "coordinates": [7.47, 51.5]})
    with pytest.raises(ValidationError):
        validate_point('{"type": "Point", "coordinates": [7.47, 51.5]}')


def test_nesting_is_measured_before_parsing_and_ignores_strings():
    assert nesting_depth('{"a": [1, 2, {"b": "[[[[[[[[["}]}') == 3
    assert nesting_depth("[" * 100_000) == 100_000
    with pytest.raises(ValidationError) as info:
        load_json("[" * 100_000 + "]" * 100_000)
    assert info.value.code == "depth"
    with pytest.raises(ValidationError) as info:
        load_json('{"a": "' + "x" * 2000 + '"}', max_chars=1000)
    assert info.value.code == "too_long"


def test_distance_and_boxes():
    assert distance_m(7.465, 51.511, 7.465, 51.515) == pytest.approx(445, abs=2)
    assert distance_m(7.0, 51.0, 7.0, 51.0) == 0
    min_lng, min_lat, max_lng, max_lat = box_around(7.465, 51.511, 500)
    for lng, lat in [(min_lng, 51.511), (max_lng, 51.511), (7.465, min_lat), (7.465, max_lat)]:
        assert distance_m(7.465, 51.511, lng, lat) >= 499
    assert merge_boxes([(0, 0, 1, 1), (-1, 0.5, 0.5, 2)]) == (-1, 0, 1, 2)
    assert merge_boxes([]) is None
