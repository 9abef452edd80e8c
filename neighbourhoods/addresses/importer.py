"""Reading address files: the simple CSV and the official house coordinates (HK-DE).

CSV: UTF-8, comma-separated, header `street,housenumber,postcode,city,lon,lat` (WGS 84).

HK-DE ("Hauskoordinaten Deutschland", the ZSHH's format after the AdV's "Georeferenzierte
Adresse"): UTF-8 text, one address per line, 18 fields separated by semicolons — NBA (N new,
A changed, L delete), OI (object id), QUA, LAN, RBZ, KRS, GMD, OTT, SSS (keys of state, district,
municipality, part and street), HNR (house number), ADZ (its suffix), east and north (ETRS89/UTM,
decimal comma; an eight-digit east value starts with the zone, "32…"), STN (street), PLZ, ONM
(postal town), ZON (its addition), POT (postal district). Lines starting with "#" are comments;
a header line starting with "NBA" is allowed. Coordinates without a zone are EPSG:25832.

No text field may start with = + @ (a spreadsheet formula, never an address): such a file is
refused like one with control characters.

`read_addresses()` yields one `Row` per address with its line number, or raises
`AddressFileError("Zeile 12: …")` — the command turns that into its one-line error.
"""

import csv
import io
import math
from dataclasses import dataclass

from .normalise import CONTROL_CHARACTERS_IN, clean_text

CSV_HEADER = ["street", "housenumber", "postcode", "city", "lon", "lat"]
HKDE_FIELDS = [
    "NBA", "OI", "QUA", "LAN", "RBZ", "KRS", "GMD", "OTT", "SSS",
    "HNR", "ADZ", "EAST", "NORTH", "STN", "PLZ", "ONM", "ZON", "POT",
]  # fmt: skip
FORMATS = ("csv", "hk-de")
DEFAULT_UTM_ZONE = 32
FORMULA_PREFIXES = ("=", "+", "@")


class AddressFileError(Exception):
    pass


@dataclass
class Row:
    line: int
    street: str
    housenumber: str
    postcode: str
    city: str
    lng: float
    lat: float
    source_id: str = ""
    delete: bool = False


def detect_format(first_line):
    """ "csv" or "hk-de" from the file's first line, or None."""
    line = first_line.lstrip("\ufeff").strip()
    if [cell.strip().lower() for cell in line.split(",")] == CSV_HEADER:
        return "csv"
    cells = [cell.strip() for cell in line.split(";")]
    if cells[:2] == ["NBA", "OI"] or line.startswith("#") or len(cells) == len(HKDE_FIELDS):
        return "hk-de"
    return None


def _text(value, line, what, max_length, required=True):
    if CONTROL_CHARACTERS_IN.search(value or ""):
        raise AddressFileError(f"Zeile {line}: {what} enthält Steuerzeichen.")
    value = clean_text(value)
    if value.startswith(FORMULA_PREFIXES):
        raise AddressFileError(f"Zeile {line}: {what} beginnt mit „{value[0]}“ (eine Formel?).")
    if required and not value:
        raise AddressFileError(f"Zeile {line}: {what} fehlt.")
    if len(value) > max_length:
        raise AddressFileError(f"Zeile {line}: {what} ist länger als {max_length} Zeichen.")
    return value


def _number(value, line, what):
    try:
        number = float((value or "").strip().replace(",", "."))
    except ValueError:
        raise AddressFileError(f"Zeile {line}: {what} ist keine Zahl: „{value[:40]}“.") from None
    if not math.isfinite(number):
        raise AddressFileError(f"Zeile {line}: {what} ist keine Zahl: „{value[:40]}“.")
    return number


def _check_wgs84(lng, lat, line):
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise AddressFileError(
            f"Zeile {line}: Koordinaten außerhalb von WGS 84 (lon {lng}, lat {lat})."
        )


def _read_csv(lines):
    reader = csv.reader(lines)
    try:
        yield from _read_csv_rows(reader)
    except csv.Error as error:  # a field over csv's limit (128 KB), an unclosed quote, …
        raise AddressFileError(
            f"Zeile {reader.line_num}: keine lesbare CSV-Zeile ({str(error)[:80]})."
        ) from None


def _read_csv_rows(reader):
    header = next(reader, None)
    if [cell.strip().lower() for cell in header or []] != CSV_HEADER:
        raise AddressFileError(f"Zeile 1: Kopfzeile muss „{','.join(CSV_HEADER)}“ lauten.")
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(CSV_HEADER):
            raise AddressFileError(f"Zeile {line}: {len(cells)} Felder statt {len(CSV_HEADER)}.")
        street, number, postcode, city, lon, lat = cells
        lng, lat = _number(lon, line, "lon"), _number(lat, line, "lat")
        _check_wgs84(lng, lat, line)
        yield Row(
            line=line,
            street=_text(street, line, "Straße", 120),
            housenumber=_text(number, line, "Hausnummer", 20),
            postcode=_text(postcode, line, "Postleitzahl", 10, required=False),
            city=_text(city, line, "Ort", 80, required=False),
            lng=lng,
            lat=lat,
        )


def _transformers():
    from pyproj import Transformer

    cache = {}

    def transform(zone, east, north):
        if zone not in cache:
            cache[zone] = Transformer.from_crs(f"EPSG:258{zone}", "EPSG:4326", always_xy=True)
        return cache[zone].transform(east, north)

    return transform


def _read_hkde(lines):
    transform = _transformers()
    for line, text in enumerate(lines, start=1):
        text = text.rstrip("\r\n")
        if line == 1:
            text = text.lstrip("\ufeff")
        if not text.strip() or text.startswith("#") or text.startswith("NBA;"):
            continue
        cells = text.split(";")
        if len(cells) != len(HKDE_FIELDS):
            raise AddressFileError(
                f"Zeile {line}: {len(cells)} Felder statt {len(HKDE_FIELDS)} (HK-DE)."
            )
        field = dict(zip(HKDE_FIELDS, cells, strict=True))
        east = _number(field["EAST"], line, "Ostwert")
        north = _number(field["NORTH"], line, "Nordwert")
        zone = DEFAULT_UTM_ZONE
        if east >= 10_000_000:  # "32360123,456": zone 32, east 360123.456
            zone, east = int(east // 1_000_000), east % 1_000_000
        if zone not in (31, 32, 33) or not (100_000 <= east <= 900_000):
            raise AddressFileError(f"Zeile {line}: Ostwert außerhalb der UTM-Zonen 31–33.")
        if not 5_000_000 <= north <= 6_200_000:
            raise AddressFileError(f"Zeile {line}: Nordwert liegt nicht in Deutschland.")
        lng, lat = transform(zone, east, north)
        _check_wgs84(lng, lat, line)
        suffix = _text(field["ADZ"], line, "Adressierungszusatz", 10, required=False)
        yield Row(
            line=line,
            street=_text(field["STN"], line, "Straßenname (STN)", 120),
            housenumber=_text(field["HNR"], line, "Hausnummer (HNR)", 10) + suffix,
            postcode=_text(field["PLZ"], line, "Postleitzahl (PLZ)", 10, required=False),
            city=_text(field["ONM"], line, "Ortsname (ONM)", 80, required=False),
            lng=round(lng, 7),
            lat=round(lat, 7),
            source_id=_text(field["OI"], line, "OI", 40, required=False),
            delete=field["NBA"].strip().upper() == "L",
        )


def read_addresses(data, *, file_format=None, encoding="utf-8-sig"):
    """The rows of an address file (bytes); the format from the first line unless given."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise AddressFileError(
            f"Die Datei ist nicht in {encoding} kodiert (Byte {error.start}); "
            "ältere HK-DE-Dateien: --encoding latin-1."
        ) from None
    lines = io.StringIO(text, newline="").readlines()
    if not lines:
        raise AddressFileError("Die Datei ist leer.")
    file_format = file_format or detect_format(lines[0])
    if file_format == "csv":
        return list(_read_csv(lines))
    if file_format == "hk-de":
        return list(_read_hkde(lines))
    raise AddressFileError(
        f"Zeile 1: Format nicht erkannt – erwartet die Kopfzeile „{','.join(CSV_HEADER)}“ "
        "oder HK-DE (18 Felder mit Semikolon); sonst --format angeben."
    )
