import json

import pytest
from django.core.exceptions import ValidationError

from neighbourhoods.geometry import clean_boundary, parse_point, validate_area_boundary
from tests.factories import make_area, square


def message(value, **kwargs):
    with pytest.raises(ValidationError) as info:
        validate_area_boundary(value, **kwargs)
    return " ".join(info.value.messages)


def test_valid_polygon_as_string_and_dict_and_feature():
    polygon = square(7.4, 51.4)
    assert clean_boundary(json.dumps(polygon)) == polygon
    assert clean_boundary(polygon) == polygon
    assert clean_boundary({"type": "Feature", "geometry": polygon, "properties": {}}) == polygon


def test_multipolygon_and_polygon_with_hole_are_valid():
    outer = square(7.4, 51.4, 0.1)["coordinates"][0]
    hole = square(7.42, 51.42, 0.02)["coordinates"][0][::-1]
    clean_boundary({"type": "Polygon", "coordinates": [outer, hole]})
    clean_boundary(
        {
            "type": "MultiPolygon",
            "coordinates": [square(7.4, 51.4)["coordinates"], square(7.5, 51.4)["coordinates"]],
        }
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "GeoJSON-Format"),
        ("   ", "GeoJSON-Format"),
        ("{nope", "kein gültiges JSON"),
        ("[1, 2]", "GeoJSON-Objekt"),
        (42, "GeoJSON-Format"),
        ({"type": "Point", "coordinates": [7, 51]}, "nicht Point"),
        ({"type": "<script>alert(1)</script>", "coordinates": []}, "Polygon"),
        ({"type": "Polygon"}, "mindestens einen Ring"),
        ({"type": "Polygon", "coordinates": []}, "mindestens einen Ring"),
        ({"type": "Polygon", "coordinates": [[["a", "b"]]]}, "zwei Zahlen"),
        ({"type": "Polygon", "coordinates": [[[7, 51], [7.1, 51], [7, 51]]]}, "vier Koordinaten"),
        ({"type": "MultiPolygon", "coordinates": []}, "mindestens ein Polygon"),
        (
            {"type": "Polygon", "coordinates": [[[7, 51], [7.1, 51], [7.1, 51.1], [7, 51.1]]]},
            "nicht geschlossen",
        ),
        (
            {"type": "Polygon", "coordinates": [[[7, 51], [7.1, 51], [7.2, 51], [7, 51]]]},
            "keine Fläche",
        ),
        (
            {"type": "Polygon", "coordinates": [[[7, 51], [190, 51], [7.1, 51.1], [7, 51]]]},
            "außerhalb des gültigen Bereichs",
        ),
    ],
)
def test_bad_boundaries_are_refused_with_a_german_message(value, expected):
    assert expected in message(value)


def test_projected_coordinates_are_named_as_such():
    text = message(
        {
            "type": "Polygon",
            "coordinates": [
                [[400000, 5700000], [401000, 5700000], [401000, 5701000], [400000, 5700000]]
            ],
        }
    )
    assert "projiziert" in text and "WGS84" in text


def test_self_intersection_names_the_place():
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[7.0, 51.0], [7.2, 51.2], [7.2, 51.0], [7.0, 51.2], [7.0, 51.0]]],
    }
    text = message(bow_tie)
    assert "überschneidet sich selbst" in text
    assert "7.100000" in text and "51.100000" in text


def test_huge_input_does_not_crash():
    nested = "[" * 100000 + "]" * 100000
    assert "JSON" in message(nested)


@pytest.mark.django_db
def test_child_must_lie_within_parent_with_tolerance():
    parent = make_area("Quartier", boundary=square(7.4, 51.4, 0.1))
    validate_area_boundary(square(7.4, 51.4, 0.05), parent=parent)
    # touching the parent's edge, a hair beyond it: fine
    validate_area_boundary(square(7.45, 51.45, 0.0500001), parent=parent)
    assert "nicht innerhalb von „Quartier“" in message(square(7.48, 51.48, 0.05), parent=parent)


@pytest.mark.django_db
def test_siblings_may_share_edges_but_not_overlap():
    west = make_area("West", boundary=square(7.4, 51.4, 0.1))
    validate_area_boundary(square(7.5, 51.4, 0.1), siblings=[west])
    assert "überschneidet sich mit „West“" in message(square(7.45, 51.4, 0.1), siblings=[west])


@pytest.mark.django_db
def test_model_clean_uses_the_validator_with_current_siblings():
    make_area("West", boundary=square(7.4, 51.4, 0.1))
    from neighbourhoods.models import Area

    area = Area(name="Ost", slug="ost", boundary=square(7.45, 51.4, 0.1))
    with pytest.raises(ValidationError) as info:
        area.full_clean()
    assert "West" in str(info.value.message_dict["boundary"])


@pytest.mark.parametrize(
    "value",
    [
        '{"type": "Point", "coordinates": [7.47, 51.5]}',
        {"type": "Point", "coordinates": [7.47, 51.5]},
    ],
)
def test_parse_point_accepts_string_or_dict(value):
    assert parse_point(value) == (7.47, 51.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "GeoJSON"),
        ("nonsense", "JSON"),
        ({"type": "Polygon", "coordinates": []}, "GeoJSON-Punkt"),
        ({"type": "Point", "coordinates": [7.47]}, "zwei Zahlen"),
        ({"type": "Point", "coordinates": [True, 51]}, "zwei Zahlen"),
        ({"type": "Point", "coordinates": [float("nan"), 51]}, "zwei Zahlen"),
        ({"type": "Point", "coordinates": [7.47, 95]}, "außerhalb"),
        ({"type": "Point", "coordinates": [400000, 5700000]}, "projiziert"),
    ],
)
def test_parse_point_refuses_bad_points(value, expected):
    with pytest.raises(ValidationError) as info:
        parse_point(value)
    assert expected in " ".join(info.value.messages)


@pytest.mark.django_db
def test_a_parent_cannot_shrink_away_from_its_children():
    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    make_area("Am Park", boundary=square(7.45, 51.45, 0.05), parent=quarter)
    quarter.boundary = square(7.4, 51.4, 0.05)
    with pytest.raises(ValidationError) as info:
        quarter.full_clean()
    assert "Teilgebiet „Am Park“" in str(info.value.message_dict["boundary"])


def test_deeply_nested_coordinates_are_refused_not_crashing():
    nested = 0
    for _ in range(5000):
        nested = [nested]
    with pytest.raises(ValidationError):
        clean_boundary({"type": "Polygon", "coordinates": nested})
