"""Big boundaries (issue 14): a vertex cap with a clear message everywhere, a simplified copy
for maps and the point lookup, the exact boundary where it decides; plain one-line area names."""

import json
import math

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import shape

from neighbourhoods import lookup
from neighbourhoods.geometry import clean_boundary
from neighbourhoods.models import Area
from neighbourhoods.services import area_split
from tests.factories import make_area, make_coordination, square

pytestmark = pytest.mark.django_db
CENTRE, RADIUS = (7.47, 51.5), 0.01  # about 1 km around the (fictional) city centre


def circle(vertices, radius=RADIUS):
    """A GeoJSON Polygon with `vertices` corner points on a circle (plus the closing one)."""
    lng, lat = CENTRE
    ring = [
        [
            round(lng + radius * math.cos(2 * math.pi * i / vertices), 9),
            round(lat + radius * math.sin(2 * math.pi * i / vertices), 9),
        ]
        for i in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def vertices(geometry):
    return shapely.get_num_coordinates(shape(geometry))


@pytest.fixture
def coordination_client(client):
    client.force_login(make_coordination())
    return client


def admin_post(client, **changes):
    data = {
        "name": "Innenstadt",
        "slug": "innenstadt",
        "kind": "quarter",
        "colour": "#1d5b79",
        "valid_from": "2024-01-01",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        **changes,
    }
    return client.post(reverse("admin:neighbourhoods_area_add"), data)


def test_200k_vertices_are_refused_in_the_validator_the_admin_and_the_import(
    coordination_client, tmp_path
):
    huge = circle(200_000)
    with pytest.raises(ValidationError) as info:
        clean_boundary(huge)
    assert info.value.code == "too_many_vertices"
    assert "200.001 Eckpunkte; erlaubt sind höchstens 50.000" in info.value.messages[0]

    response = admin_post(coordination_client, boundary=json.dumps(huge))
    assert response.status_code == 200
    assert "höchstens 50.000" in str(response.context["adminform"].form.errors["boundary"])

    path = tmp_path / "gross.geojson"
    feature = {"type": "Feature", "properties": {"name": "Riesig"}, "geometry": huge}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(CommandError, match="Riesig.*200.001 Eckpunkte; erlaubt sind höchstens"):
        call_command("import_areas", str(path), "--kind", "quarter")
    assert not Area.objects.exists()


def test_the_cap_is_a_setting_and_the_widget_says_it(coordination_client, settings):
    settings.AREA_MAX_VERTICES = 100
    with pytest.raises(ValidationError):
        clean_boundary(circle(100))
    clean_boundary(circle(99))
    page = coordination_client.get(reverse("admin:neighbourhoods_area_add")).content.decode()
    assert "Höchstens 100 Eckpunkte" in page


def test_40k_vertices_are_accepted_and_maps_get_a_small_copy(coordination_client):
    exact = circle(40_000)
    response = admin_post(coordination_client, boundary=json.dumps(exact))
    assert response.status_code == 302
    area = Area.objects.get(slug="innenstadt")
    assert vertices(area.boundary) == 40_001  # stored exactly
    assert vertices(area.boundary_display) < 500
    assert shape(area.boundary_display).is_valid
    # within about 1 m everywhere (1e-5 degrees)
    assert shape(area.boundary).hausdorff_distance(shape(area.boundary_display)) < 1.1e-5

    geojson = coordination_client.get(reverse("neighbourhoods:areas-geojson"))
    assert len(geojson.content) < 20_000  # the exact boundary alone is about 1.6 MB
    single = coordination_client.get(reverse("neighbourhoods:area-geojson", args=[area.slug]))
    assert vertices(single.json()["geometry"]) < 500
    page = coordination_client.get(area.get_absolute_url())
    assert len(page.content) < 60_000

    exported = json.loads(_export())
    assert vertices(exported["features"][0]["geometry"]) == 40_001  # exports stay exact


def _export():
    from io import StringIO

    out = StringIO()
    call_command("export_areas", stdout=out)
    return out.getvalue()


def test_a_point_near_the_border_is_decided_by_the_exact_boundary(django_assert_num_queries):
    area = make_area("Innenstadt", boundary=circle(40_000))
    lng, lat = CENTRE
    # between two corners kept in the display copy the simplified edge is a chord: a point
    # just inside the exact circle lies outside the copy there
    kept = area.boundary_display["coordinates"][0]
    (a_lng, a_lat), (b_lng, b_lat) = kept[0], kept[1]
    angle = (math.atan2(a_lat - lat, a_lng - lng) + math.atan2(b_lat - lat, b_lng - lng)) / 2
    inside = (lng + (RADIUS - 1e-7) * math.cos(angle), lat + (RADIUS - 1e-7) * math.sin(angle))
    outside = (lng + (RADIUS + 1e-7) * math.cos(angle), lat + (RADIUS + 1e-7) * math.sin(angle))
    assert not shape(area.boundary_display).covers(shapely.Point(inside))

    assert lookup.area_id_for_point(*CENTRE) == area.pk  # builds the index
    with django_assert_num_queries(1):  # far from the border: the version check only
        assert lookup.area_id_for_point(lng + 0.005, lat) == area.pk
    with django_assert_num_queries(2):  # near it: and the exact boundary, once
        assert lookup.area_id_for_point(*inside) == area.pk
    with django_assert_num_queries(1):
        assert lookup.area_id_for_point(*outside) is None


def test_saving_keeps_the_display_copy_in_step():
    area = make_area("Innenstadt", boundary=circle(5_000))
    assert vertices(area.boundary_display) < vertices(area.boundary)
    area.boundary = square(7.4, 51.4, 0.1)
    area.save(update_fields=["boundary"])
    area.refresh_from_db()
    assert area.boundary_display == square(7.4, 51.4, 0.1)
    area.boundary = None
    area.save()
    area.refresh_from_db()
    assert area.boundary_display is None
    # a save of other fields of a row loaded without its boundary leaves the copy alone
    make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    north = Area.objects.defer("boundary").get(slug="nordstadt")
    north.name = "Nordstadt neu"
    north.save()
    assert Area.objects.get(pk=north.pk).boundary_display == square(7.6, 51.4, 0.1)


@pytest.mark.parametrize("name", ["Süd\r\nstadt", "Süd\nstadt", "Süd\x1bstadt", "Süd\u2028stadt"])
def test_names_with_line_breaks_or_control_characters_are_refused(
    coordination_client, tmp_path, name
):
    area = Area(name=name, slug="x", kind=Area.Kind.QUARTER)
    with pytest.raises(ValidationError) as info:
        area.full_clean()
    assert "Steuerzeichen" in str(info.value.message_dict["name"])

    response = admin_post(coordination_client, name=name, boundary="")
    assert response.status_code == 200
    assert "Steuerzeichen" in str(response.context["adminform"].form.errors["name"])

    path = tmp_path / "names.geojson"
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": square(7.4, 51.4)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(CommandError, match="Feature 1.*Steuerzeichen"):
        call_command("import_areas", str(path), "--kind", "quarter")

    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    with pytest.raises(ValidationError, match="Steuerzeichen"):
        area_split(area=quarter, children=[{"name": name, "boundary": square(7.4, 51.4, 0.05)}])
    assert list(Area.objects.values_list("name", flat=True)) == ["Südstadt"]


def test_the_index_keeps_no_exact_boundary_it_did_not_need():
    make_area("Innenstadt", boundary=circle(40_000))
    with CaptureQueriesContext(connection):
        lookup.area_id_for_point(*CENTRE)
    index = lookup._current_index()
    assert index.exact == {}
    assert index.simplified == [True]
