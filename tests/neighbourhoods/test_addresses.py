"""The address register: import (CSV and HK-DE), normalised search, /quartiere/finden/?adresse=,
the suggestions endpoint and the optional geocoder."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from neighbourhoods import demo
from neighbourhoods.addresses.importer import detect_format
from neighbourhoods.addresses.models import Address
from neighbourhoods.addresses.normalise import Query, street_key
from neighbourhoods.addresses.selectors import find, suggest

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
HKDE_FILE = DATA / "hauskoordinaten_musterstadt.txt"
HEADER = "street,housenumber,postcode,city,lon,lat\n"


def write(tmp_path, text, name="adressen.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_addresses", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def areas():
    demo.load(stdout=io.StringIO())


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Marktstraße 5a",
        "marktstr. 5a",
        "Marktstr 5 A",
        "MARKTSTRASSE 5A",
        "  Markt-Straße   5a ",
        "Markt Strasse 5a, 44135 Musterstadt",
        "Marktstraße\t5a",
    ],
)
def test_what_residents_type_becomes_one_key(typed):
    query = Query(typed)
    assert (query.street, query.housenumber) == ("marktstrasse", "5a")
    assert query.base_number == "5"


def test_normalisation_keeps_streets_apart():
    assert street_key("Müllerweg") == street_key("Muellerweg") == "muellerweg"
    assert street_key("Strandweg") == "strandweg"  # "str" only at a word's end
    assert street_key("Straße des 17. Juni") == "strassedes17juni"
    assert Query("44135 Marktstraße 7").postcode == "44135"
    assert Query("Marktstraße 7").postcode == ""
    assert not Query("   ")


# --- import ---------------------------------------------------------------------------------


def test_csv_import_is_idempotent_and_updates(tmp_path):
    rows = (
        "Marktstraße,5,44135,Musterstadt,7.4557,51.4985\n"
        "Marktstraße,5a,44135,Musterstadt,7.4558,51.4985\n"
    )
    path = write(tmp_path, HEADER + rows)
    out, _err = run(path)
    assert "2 Adressen neu, 0 aktualisiert" in out
    out, _err = run(path)
    assert "0 Adressen neu, 0 aktualisiert, 2 unverändert" in out
    assert Address.objects.count() == 2
    moved = write(tmp_path, HEADER + "Marktstr.,5,44135,Musterstadt,7.46,51.5\n", "moved.csv")
    out, _err = run(moved)
    assert "0 Adressen neu, 1 aktualisiert, 0 unverändert" in out
    address = Address.objects.get(housenumber_key="5")
    assert (address.lng, address.lat) == (7.46, 51.5)
    assert Address.objects.count() == 2


def test_prune_removes_what_the_file_no_longer_names(tmp_path):
    run(write(tmp_path, HEADER + "A-Weg,1,,,7.4,51.4\nA-Weg,2,,,7.4,51.4\n"))
    out, _err = run(write(tmp_path, HEADER + "A-Weg,2,,,7.4,51.4\n", "b.csv"), "--prune")
    assert "1 gelöscht" in out
    assert list(Address.objects.values_list("housenumber", flat=True)) == ["2"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Marktstraße,5,44135,Musterstadt,abc,51.5\n", "Zeile 3: lon ist keine Zahl"),
        ("Marktstraße,5,44135,Musterstadt,7.4,95\n", "Zeile 3: Koordinaten außerhalb"),
        (",5,44135,Musterstadt,7.4,51.5\n", "Zeile 3: Straße fehlt"),
        ("Marktstraße,,44135,Musterstadt,7.4,51.5\n", "Zeile 3: Hausnummer fehlt"),
        ("Marktstraße,5,44135\n", "Zeile 3: 3 Felder statt 6"),
        ('"Markt\nstraße",5,44135,Musterstadt,7.4,51.5\n', "Zeile 4: Straße enthält Steuerzeichen"),
        ("Marktstraße,5,44135,Musterstadt,nan,51.5\n", "Zeile 3: lon ist keine Zahl"),
        ("X" * 200 + ",5,44135,Musterstadt,7.4,51.5\n", "Zeile 3: Straße ist länger als 120"),
    ],
)
def test_a_bad_line_names_its_number_and_nothing_is_saved(tmp_path, body, message):
    run(write(tmp_path, HEADER + "Altweg,1,,,7.4,51.4\n", "old.csv"))
    path = write(tmp_path, HEADER + "Marktstraße,1,44135,Musterstadt,7.4,51.5\n" + body)
    with pytest.raises(CommandError) as error:
        run(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert list(Address.objects.values_list("street", flat=True)) == ["Altweg"]


def test_unknown_header_missing_file_and_wrong_encoding(tmp_path):
    with pytest.raises(CommandError, match="Format nicht erkannt"):
        run(write(tmp_path, "strasse,nr\nA,1\n"))
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        run(tmp_path / "fehlt.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "Marktstraße,5,,,7.4,51.5\n").encode("latin-1"))
    with pytest.raises(CommandError, match="nicht in utf-8-sig kodiert"):
        run(latin)
    run(latin, "--encoding", "latin-1")
    assert Address.objects.get().street == "Marktstraße"


def test_dry_run_saves_nothing(tmp_path):
    out, _err = run(write(tmp_path, HEADER + "A-Weg,1,,,7.4,51.4\n"), "--dry-run")
    assert "Probelauf: 1 neu" in out
    assert not Address.objects.exists()


def test_progress_bar_for_longer_files(tmp_path):
    rows = "".join(f"A-Weg,{number},,,7.4,51.4\n" for number in range(1, 251))
    _out, err = run(write(tmp_path, HEADER + rows))
    assert "[##############################] 250/250" in err
    assert err.count("\r") <= 101  # redrawn per percent, not per line


def test_hkde_import_transforms_utm_to_wgs84():
    assert detect_format(HKDE_FILE.read_text(encoding="utf-8").splitlines()[0]) == "hk-de"
    out, _err = run(HKDE_FILE)
    assert "6 Adressen neu" in out
    markt = Address.objects.get(street="Marktstraße", housenumber="5")
    # Within about a metre of where the file's UTM coordinates were computed from.
    assert markt.lng == pytest.approx(7.455692, abs=2e-5)
    assert markt.lat == pytest.approx(51.498551, abs=2e-5)
    assert markt.source_id == "DENW000000000001"
    assert Address.objects.get(housenumber="5a").postcode == "44135"
    # An eight-digit east value carries the zone ("32…").
    park = Address.objects.get(street="Parkallee")
    assert park.lng == pytest.approx(7.450821, abs=2e-5)
    out, _err = run(HKDE_FILE)
    assert "0 Adressen neu, 0 aktualisiert, 6 unverändert" in out


def test_hkde_without_header_and_with_deletions(tmp_path):
    lines = HKDE_FILE.read_text(encoding="utf-8").splitlines()[2:]
    run(write(tmp_path, "\n".join(lines) + "\n", "hk.txt"))
    assert Address.objects.count() == 6
    deletion = "L" + lines[0][1:]
    run(write(tmp_path, deletion + "\n", "delete.txt"), "--format", "hk-de")
    assert not Address.objects.filter(street="Marktstraße", housenumber="5").exists()
    assert Address.objects.count() == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda cells: cells.__setitem__(12, "123,4"),
            "Zeile 3: Nordwert liegt nicht in Deutschland",
        ),
        (lambda cells: cells.__setitem__(11, "x"), "Zeile 3: Ostwert ist keine Zahl"),
        (lambda cells: cells.__setitem__(11, "35392804,858"), "Zeile 3: Ostwert außerhalb"),
        (lambda cells: cells.pop(), "Zeile 3: 17 Felder statt 18"),
    ],
)
def test_hkde_errors_roll_back(tmp_path, change, message):
    lines = HKDE_FILE.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(";")
    change(cells)
    path = write(tmp_path, "\n".join([lines[1], lines[3], ";".join(cells)]) + "\n", "hk.txt")
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Address.objects.exists()


def test_demo_ships_and_imports_its_address_list(areas):
    assert Address.objects.count() > 300
    assert Address.objects.filter(street="Marktstraße", housenumber="5a").exists()
    demo.load(stdout=io.StringIO())  # again: no duplicates
    assert Address.objects.filter(street="Marktstraße", housenumber="5a").count() == 1


# --- search ---------------------------------------------------------------------------------


def test_find_lands_in_the_deepest_area(areas):
    found = find("speicherstr. 3")
    assert found.area["name"] == "Südstadt-Am Hafen"
    assert found.label == "Speicherstraße 3, 44143 Musterstadt"
    assert find("Marktstraße 5b").approximate  # no 5b: the house 5 stands for it
    assert find("Marktstraße 5b").area["name"] == "Innenstadt"


def test_near_misses(areas):
    assert find("Parkallee 99").suggestions[0] == "Parkallee 40"
    assert find("Parkalee 3").suggestions == ["Parkallee 3"]
    assert find("Nirgendwostraße 1").suggestions == []


def test_suggestions(areas, django_assert_max_num_queries):
    labels = [entry["label"] for entry in suggest("Marktstr")]
    assert labels[:3] == [
        "Marktstraße 1, 44135 Musterstadt",
        "Marktstraße 2, 44135 Musterstadt",
        "Marktstraße 3, 44135 Musterstadt",
    ]
    assert len(suggest("Marktstr")) == 10
    streets = suggest("Ha")  # two streets: one entry each, to be completed with a number
    assert [(entry["kind"], entry["value"]) for entry in streets] == [
        ("street", "Hafenweg "),
        ("street", "Hauptstraße "),
    ]
    assert suggest("Ka")[0]["label"] == "Kanalstraße 1, 44145 Musterstadt"
    assert [entry["label"] for entry in suggest("Hauptstraße 12")][:2] == [
        "Hauptstraße 12, 44135 Musterstadt",
        "Hauptstraße 12a, 44135 Musterstadt",
    ]
    assert suggest("Parkalee 3")[0]["label"] == "Parkallee 3, 44139 Musterstadt"
    with django_assert_max_num_queries(4):
        suggest("Bahnhofstraße 1")


# --- pages ----------------------------------------------------------------------------------


def test_finder_without_parameters_shows_search_and_map(client):
    response = client.get("/quartiere/finden/")
    assert response.status_code == 200
    html = response.content.decode()
    # Without JavaScript: a plain GET form with a named text field and a submit button.
    assert 'method="get" action="/quartiere/finden/"' in html
    assert 'name="adresse"' in html and 'type="submit"' in html
    assert 'role="combobox"' in html and 'aria-controls="address-list"' in html
    assert 'data-finder-url="/quartiere/finden/"' in html
    assert "address-search.js" in html


def test_finder_by_address_redirects_with_a_message(client, areas):
    response = client.get("/quartiere/finden/", {"adresse": "Marktstraße 5"}, follow=True)
    assert response.redirect_chain == [("/quartiere/innenstadt/", 302)]
    assert "Marktstraße 5, 44135 Musterstadt liegt in: Innenstadt." in response.content.decode()
    response = client.get("/quartiere/finden/", {"adresse": "bahnhofstr. 14"})
    assert response.url == "/quartiere/suedstadt-bahnhofsviertel/"


def test_finder_not_found_offers_near_misses(client, areas):
    response = client.get("/quartiere/finden/", {"adresse": "Parkalee 3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Die Adresse „Parkalee 3“ haben wir nicht gefunden." in html
    assert '<a href="?adresse=Parkallee%203">Parkallee 3</a>' in html
    assert 'value="Parkalee 3"' in html  # what was typed stays in the field


def test_finder_outside_the_city(client, areas):
    Address.objects.create(street="Fernweg", housenumber="1", lng=11.5, lat=48.1)
    response = client.get("/quartiere/finden/", {"adresse": "Fernweg 1"})
    assert response.status_code == 200
    assert "Fernweg 1 liegt außerhalb der Quartiere von Musterstadt." in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "\x01\x02", "<script>alert(1)</script>", "x" * 10_000, "' OR 1=1; --", "5"],
)
def test_finder_hostile_addresses_get_a_page_not_an_error(client, areas, typed):
    response = client.get("/quartiere/finden/", {"adresse": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    if typed.startswith("xxx"):  # the field gets back at most its 100 characters
        assert f'value="{"x" * 100}"' in html


def test_pages_with_a_point_offer_the_address_search(client, areas):
    mood = client.get("/stimmung/").content.decode()
    assert 'data-point-input="id_point"' in mood and 'data-area-select="id_area"' in mood
    follow = client.get("/benachrichtigungen/ort/").content.decode()
    assert 'data-point-input="id_location"' in follow


# --- suggestions endpoint -------------------------------------------------------------------


def test_suggestions_json(client, areas):
    response = client.get("/quartiere/adressen.json", {"q": "Speicherstraße 3"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    (result,) = response.json()["results"]
    assert result["label"] == "Speicherstraße 3, 44143 Musterstadt"
    assert result["area"]["name"] == "Südstadt-Am Hafen"
    assert result["area"]["url"] == "/quartiere/suedstadt-am-hafen/"
    assert isinstance(result["lng"], float)


def test_suggestions_are_cached(client, areas, django_assert_num_queries):
    client.get("/quartiere/adressen.json", {"q": "Marktstr. 1"})
    with django_assert_num_queries(1):  # only the rate limit's counter (Redis in production)
        again = client.get("/quartiere/adressen.json", {"q": "marktstraße 1"})
    assert len(again.json()["results"]) == 10


@pytest.mark.parametrize(
    "typed",
    [
        "\x01\x1b[31m\u2028Markt",
        "Marktstraße" * 1000,
        "x" * 10_240,
        "'; DROP TABLE neighbourhoods_address; --",
        "%_%",
        "\\",
        "Markt\r\nstraße 5",
    ],
)
def test_suggestions_survive_hostile_queries(client, areas, typed):
    response = client.get("/quartiere/adressen.json", {"q": typed})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 10
    assert Address.objects.count() > 300


def test_suggestions_are_rate_limited(client, settings, monkeypatch):
    settings.RATELIMIT_ENABLED = True
    monkeypatch.setattr("neighbourhoods.addresses.views.SUGGEST_LIMIT_PER_MINUTE", 3)
    codes = [client.get("/quartiere/adressen.json", {"q": "Ma"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pattern index")
def test_prefix_search_uses_an_index_on_postgresql(tmp_path):
    rows = "".join(f"Weg {number},1,,,7.4,51.4\n" for number in range(3000))
    run(write(tmp_path, HEADER + rows))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE neighbourhoods_address")
        query = Address.objects.with_prefix("weg12").query
        sql, params = query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "address_search_key_like" in plan


# --- optional geocoder ----------------------------------------------------------------------


class PhotonHandler(BaseHTTPRequestHandler):
    """Answers like Photon's /api: a GeoJSON FeatureCollection."""

    answer = None
    asked = []

    def do_GET(self):
        type(self).asked.append(self.path)
        body = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def photon(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PhotonHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.GEOCODER_KIND = "photon"
    settings.GEOCODER_TIMEOUT = 2
    PhotonHandler.asked = []
    yield PhotonHandler
    server.shutdown()
    server.server_close()


def test_geocoder_answers_what_the_register_lacks(client, areas, photon):
    photon.answer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7.4552, 51.4990]},
                "properties": {
                    "street": "Neue Gasse",
                    "housenumber": "7",
                    "postcode": "44135",
                    "city": "Musterstadt",
                },
            }
        ],
    }
    response = client.get("/quartiere/finden/", {"adresse": "Neue Gasse 7"}, follow=True)
    assert response.redirect_chain == [("/quartiere/innenstadt/", 302)]
    assert "Neue Gasse 7, 44135 Musterstadt liegt in: Innenstadt." in response.content.decode()
    assert photon.asked[0].startswith("/api?q=Neue+Gasse+7")
    # The register comes first: an address it knows never reaches the geocoder.
    client.get("/quartiere/finden/", {"adresse": "Marktstraße 5"})
    assert len(photon.asked) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"type": "FeatureCollection", "features": []},
        {"features": [{"geometry": {"coordinates": ["nan", 51]}}]},
        {"features": [{"geometry": {"coordinates": [700, 51]}}]},
        "nonsense",
    ],
)
def test_geocoder_nonsense_counts_as_not_found(client, areas, photon, answer):
    photon.answer = answer
    response = client.get("/quartiere/finden/", {"adresse": "Neue Gasse 7"})
    assert response.status_code == 200
    assert "haben wir nicht gefunden" in response.content.decode()


def test_geocoder_down_counts_as_not_found(client, areas, settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # discard port: nobody listens
    settings.GEOCODER_TIMEOUT = 1
    response = client.get("/quartiere/finden/", {"adresse": "Neue Gasse 7"})
    assert response.status_code == 200
    assert "haben wir nicht gefunden" in response.content.decode()


def test_geocoder_is_off_by_default(settings):
    assert settings.GEOCODER_URL == ""


def test_staff_point_picker_has_the_address_search():
    from neighbourhoods.forms import PointWidget

    widget = PointWidget(attrs={"id": "id_location"})
    html = widget.render("location", None)
    assert "data-address-search" in html and 'data-point-input="id_location"' in html
    assert 'id="id_location_address"' in html and "hidden" in html  # shown by the script
    assert "js/address-search.js" in str(widget.media)


def test_finder_with_the_page_cache_on(client, areas, settings):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get("/quartiere/finden/").status_code == 200
    assert client.get("/quartiere/finden/").status_code == 200
    response = client.get("/quartiere/finden/", {"adresse": "Marktstraße 5"})
    assert response.url == "/quartiere/innenstadt/"
    first = client.get("/quartiere/finden/", {"adresse": "Parkalee 3"}).content.decode()
    second = client.get("/quartiere/finden/", {"adresse": "Parkallee 99"}).content.decode()
    assert "Parkallee 3</a>" in first and "Parkallee 40</a>" in second
    response = client.get("/quartiere/finden/", {"adresse": "Kanalstraße 2"}, follow=True)
    assert "Kanalstraße 2, 44145 Musterstadt liegt in: Nordstadt." in response.content.decode()


def test_nominatim_is_understood_too(client, areas, photon, settings):
    settings.GEOCODER_KIND = "nominatim"
    photon.answer = [
        {"lon": "7.4552", "lat": "51.4990", "display_name": "Neue Gasse 7, Musterstadt"}
    ]
    response = client.get("/quartiere/finden/", {"adresse": "Neue Gasse 7"})
    assert response.url == "/quartiere/innenstadt/"
    assert photon.asked[0].startswith("/search?q=Neue+Gasse+7&format=jsonv2")
