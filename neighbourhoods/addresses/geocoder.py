"""An optional self-hosted geocoder for addresses the register lacks (off by default).

`GEOCODER_URL` (e.g. `http://photon.internal:2322`) and `GEOCODER_KIND` (`photon` or
`nominatim`) switch it on. It is asked only when the register has no such address, with a short
timeout; any failure (down, slow, nonsense) counts as "not found", never as an error page.
Only a self-hosted service belongs here: the address a resident types must not leave the city.
"""

import json
import logging
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 1_000_000


@dataclass
class Place:
    label: str
    point: tuple  # (lng, lat)


def _request_url(text):
    base = settings.GEOCODER_URL.rstrip("/")
    if settings.GEOCODER_KIND == "nominatim":
        query = {"q": text, "format": "jsonv2", "limit": 1, "addressdetails": 0}
        return f"{base}/search?{urllib.parse.urlencode(query)}"
    return f"{base}/api?{urllib.parse.urlencode({'q': text, 'limit': 1, 'lang': 'de'})}"


def _coordinate(value, limit):
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(value)
    return number


def _parse(data):
    if settings.GEOCODER_KIND == "nominatim":
        first = data[0]
        point = (_coordinate(first["lon"], 180), _coordinate(first["lat"], 90))
        return Place(label=str(first.get("display_name", ""))[:200], point=point)
    feature = data["features"][0]
    lng, lat = feature["geometry"]["coordinates"][:2]
    props = feature.get("properties") or {}
    street = " ".join(
        str(part)
        for part in (props.get("street") or props.get("name"), props.get("housenumber"))
        if part
    )
    place = " ".join(str(part) for part in (props.get("postcode"), props.get("city")) if part)
    label = ", ".join(part for part in (street, place) if part)
    return Place(label=label[:200], point=(_coordinate(lng, 180), _coordinate(lat, 90)))


def geocode(text):
    """A Place for the text, or None (switched off, nothing found, or the service failed)."""
    if not settings.GEOCODER_URL or not text:
        return None
    url = _request_url(text)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "Quartier"})  # noqa: S310
        with urllib.request.urlopen(  # noqa: S310  (an http(s) URL from the settings)
            request, timeout=settings.GEOCODER_TIMEOUT
        ) as response:
            data = json.loads(response.read(MAX_ANSWER_BYTES))
        return _parse(data)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        logger.info("Geocoder gave no place for %r: %s", text, error)
        return None
