import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from neighbourhoods.models import Area
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
DISTRICTS = DATA / "stadtbezirke.geojson"
ESRI = DATA / "stadtbezirke_esri.json"


def run(*args):
    call_command("import_areas", *map(str, args))


def write(tmp_path, data, name="file.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(name, geometry, key="name"):
    return {"type": "Feature", "properties": {key: name}, "geometry": geometry}


def test_real_district_file_imports_and_every_district_is_found(client):
    run(DISTRICTS, "--kind", "quarter", "--name-property", "STADTBEZIRK")
    districts = json.loads(DISTRICTS.read_text())["features"]
    assert Area.objects.current().quarters().count() == len(districts) == 8
    kinds = {feature["geometry"]["type"] for feature in districts}
    assert kinds == {"Polygon", "MultiPolygon"}
    for district in districts:
        inside = shape(district["geometry"]).representative_point()
        response = client.get("/quartiere/finden/", {"lat": inside.y, "lng": inside.x})
        area = Area.objects.get(name=district["properties"]["STADTBEZIRK"])
        assert response.status_code == 302
        assert response.url == area.get_absolute_url()


def test_reimport_updates_by_name_instead_of_duplicating(capsys):
    run(DISTRICTS, "--kind", "quarter", "--name-property", "STADTBEZIRK")
    ids = set(Area.objects.values_list("pk", flat=True))
    run(DISTRICTS, "--kind", "quarter", "--name-property", "STADTBEZIRK")
    assert set(Area.objects.values_list("pk", flat=True)) == ids
    assert "0 Gebiete neu, 8 aktualisiert" in capsys.readouterr().out


def test_dry_run_writes_nothing(capsys):
    run(DISTRICTS, "--kind", "quarter", "--name-property", "STADTBEZIRK", "--dry-run")
    assert Area.objects.count() == 0
    assert "Probelauf: 8 neu" in capsys.readouterr().out


def test_social_spaces_under_a_parent(tmp_path):
    make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    path = write(tmp_path, collection(feature("Am Park", square(7.4, 51.4, 0.05))))
    run(path, "--kind", "social_space", "--parent", "sudstadt")
    park = Area.objects.get(name="Am Park")
    assert park.parent.name == "Südstadt" and park.kind == "social_space"


def test_progress_bar_for_large_files(tmp_path, capsys):
    features = [feature(f"Block {n}", square(7.0 + n * 0.01, 51.0, 0.01)) for n in range(25)]
    run(write(tmp_path, collection(*features)), "--kind", "social_space")
    assert "25/25" in capsys.readouterr().err
    assert Area.objects.count() == 25


def test_esri_json_is_refused_and_writes_nothing():
    with pytest.raises(CommandError, match="Esri-JSON.*Erwartet wird GeoJSON"):
        run(ESRI, "--kind", "quarter", "--name-property", "STADTBEZIRK")
    assert Area.objects.count() == 0


PROJECTED = {
    "type": "Polygon",
    "coordinates": [[[400000, 5700000], [401000, 5700000], [401000, 5701000], [400000, 5700000]]],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[7.0, 51.0], [7.2, 51.2], [7.2, 51.0], [7.0, 51.2], [7.0, 51.0]]],
}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("this is not json", "kein JSON"),
        ("[1, 2, 3]", "kein GeoJSON"),
        ({"type": "Feature", "geometry": None}, "keine GeoJSON-FeatureCollection"),
        (collection(), "keine Features"),
        (
            collection(feature("Gut", square(7.4, 51.4)), feature("Projiziert", PROJECTED)),
            r"Feature 2 \(„Projiziert“\).*projiziert",
        ),
        (
            {
                **collection(feature("A", square(7.4, 51.4))),
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
            },
            "EPSG::25832.*projiziert",
        ),
        (
            collection(
                feature("Gut", square(7.4, 51.4)), feature("X", square(7.5, 51.4), key="NAME")
            ),
            "Feature 2 hat keine Eigenschaft „name“.*NAME",
        ),
        (
            collection(feature("Schleife", BOW_TIE)),
            r"Feature 1 \(„Schleife“\).*überschneidet sich selbst",
        ),
        (
            collection(
                feature("Doppelt", square(7.4, 51.4)), feature("Doppelt", square(7.6, 51.4))
            ),
            "mehrfach",
        ),
        (
            collection(
                feature("A", square(7.4, 51.4, 0.1)), feature("B", square(7.45, 51.45, 0.1))
            ),
            r"Feature 2 \(„B“\).*überschneidet sich mit „A“",
        ),
    ],
)
def test_bad_files_fail_with_one_line_and_write_nothing(tmp_path, content, expected):
    path = write(tmp_path, content)
    with pytest.raises(CommandError, match=expected) as info:
        run(path, "--kind", "quarter")
    assert "\n" not in str(info.value)
    assert Area.objects.count() == 0


def test_missing_file_and_unknown_parent(tmp_path):
    with pytest.raises(CommandError, match="nicht gefunden"):
        run(tmp_path / "fehlt.geojson", "--kind", "quarter")
    with pytest.raises(CommandError, match="Kurznamen „gibt-es-nicht“"):
        run(DISTRICTS, "--kind", "social_space", "--parent", "gibt-es-nicht")


def test_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path, "not json")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_areas", str(path), "--kind", "quarter"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode != 0
    assert "kein JSON" in result.stderr


def test_export_current_and_all(capsys, tmp_path):
    import datetime

    quarter = make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))
    make_area(
        "Alt",
        boundary=square(7.4, 51.4, 0.05),
        parent=quarter,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    call_command("export_areas")
    current = json.loads(capsys.readouterr().out)
    assert [f["properties"]["name"] for f in current["features"]] == ["Südstadt"]
    output = tmp_path / "alle.geojson"
    call_command("export_areas", "--all", "--output", str(output))
    everything = json.loads(output.read_text())
    old = next(f for f in everything["features"] if f["properties"]["name"] == "Alt")
    assert old["properties"]["parent"] == "sudstadt"
    assert old["properties"]["valid_until"] == "2021-01-01"
    assert old["properties"]["kind"] == "social_space"
