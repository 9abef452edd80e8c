"""`manage.py import_addresses` with hostile files: huge lines, wrong encodings, NUL bytes,
spreadsheet formulas, broken quoting. Each ends with one clear line naming what is wrong (a
CommandError, never a traceback), and the register keeps exactly what it held before (all or
nothing)."""

import io

import pytest
from django.core.management import CommandError, call_command

from neighbourhoods.addresses.models import Address

pytestmark = pytest.mark.django_db

HEADER = "street,housenumber,postcode,city,lon,lat\n"
GOOD = "Marktstraße,1,44135,Musterstadt,7.4,51.5\n"
HKDE_GOOD = (
    "N;DENW123;A;05;9;13;000;0001;01234;12;;32391234,50;5705432,10;"
    "Marktstraße;44135;Musterstadt;;\n"
)

HOSTILE = {
    "a field of 1 MB": (
        HEADER + GOOD + "X" * 1_000_000 + ",5,,,7.4,51.5\n",
        "Zeile 3: keine lesbare CSV-Zeile",
    ),
    "a quote never closed, then 1 MB": (
        HEADER + GOOD + '"Markt,5,,,7.4,51.5\n' + "y" * 1_000_000 + "\n",
        "Zeile 4: keine lesbare CSV-Zeile",
    ),
    "a line of 200,000 fields": (HEADER + GOOD + "a," * 200_000 + "\n", "Zeile 3: 200001 Felder"),
    "a NUL byte in a street": (HEADER + GOOD + "Markt\x00straße,5,,,7.4,51.5\n", "Zeile 3"),
    "a NUL byte in a number": (HEADER + GOOD + "Marktstraße,5,,,7.4\x00,51.5\n", "Zeile 3"),
    "NUL bytes only": ("\x00" * 1000, "Format nicht erkannt"),
    "a formula as the street": (
        HEADER + GOOD + "=cmd|' /C calc'!A0,5,,,7.4,51.5\n",
        "Zeile 3: Straße beginnt mit „=“",
    ),
    "a formula as the house number": (HEADER + GOOD + "Markt,+1+1,,,7.4,51.5\n", "Zeile 3"),
    "a formula as the city": (HEADER + GOOD + "Markt,5,,@SUM(1),7.4,51.5\n", "Zeile 3"),
    "a formula in HK-DE": (HKDE_GOOD.replace("Marktstraße", "=HYPERLINK(1)"), "Zeile 1"),
    "a number of 1e400": (HEADER + GOOD + "Markt,5,,,1e400,51.5\n", "Zeile 3"),
    "a number with 5,000 digits": (HEADER + GOOD + "Markt,5,,," + "1" * 5_000 + ",51", "Zeile 3"),
    "an HK-DE line of 1 MB": (HKDE_GOOD + "N;" + "x" * 1_000_000 + ";" * 16 + "\n", "Zeile 2"),
}
ENCODED = {
    "UTF-16": ((HEADER + GOOD).encode("utf-16"), "nicht in utf-8-sig kodiert"),
    "Latin-1": ((HEADER + "Straße,5,,,7.4,51.5\n").encode("latin-1"), "nicht in utf-8-sig"),
    "cut in the middle of a character": (HEADER.encode() + b"Stra\xc3", "nicht in utf-8-sig"),
    "a gzip file": (b"\x1f\x8b\x08\x00" + bytes(200), "nicht in utf-8-sig"),
    "invalid surrogates (CESU-8)": (
        (HEADER).encode() + b"\xed\xa0\x80,5,,,7.4,51.5\n",
        "nicht in utf-8-sig",
    ),
}


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "alt.csv"
    path.write_text(HEADER + "Altweg,1,,,7.4,51.4\n", encoding="utf-8")
    call_command("import_addresses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return list(Address.objects.values_list("street", "housenumber"))


def import_refused(path, message):
    with pytest.raises(CommandError) as error:
        call_command("import_addresses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    text = str(error.value)
    assert message in text
    assert "\n" not in text and len(text) < 400
    return text


@pytest.mark.parametrize("text, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_address_file_is_refused_in_one_line_and_nothing_changes(
    tmp_path, register, text, message
):
    path = tmp_path / "adressen.csv"
    path.write_bytes(text.encode("utf-8"))
    import_refused(path, message)
    assert list(Address.objects.values_list("street", "housenumber")) == register


@pytest.mark.parametrize("data, message", ENCODED.values(), ids=ENCODED.keys())
def test_a_file_in_a_wrong_encoding_is_refused(tmp_path, register, data, message):
    path = tmp_path / "adressen.csv"
    path.write_bytes(data)
    import_refused(path, message)
    assert list(Address.objects.values_list("street", "housenumber")) == register


def test_an_unknown_encoding_is_refused(tmp_path, register):
    path = tmp_path / "adressen.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    with pytest.raises(CommandError, match="Unbekannte Kodierung"):
        call_command("import_addresses", str(path), "--encoding", "rot13", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Unbekannte Kodierung"):
        call_command("import_addresses", str(path), "--encoding", "x" * 300, stdout=io.StringIO())
    assert list(Address.objects.values_list("street", "housenumber")) == register
