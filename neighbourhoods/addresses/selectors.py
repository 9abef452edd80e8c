"""Reads of the address register: suggestions while typing, and address → point → area.

`suggest()` feeds the combobox (`/quartiere/adressen.json`); `find()` answers the search on
`/quartiere/finden/` with the address, or near misses when the register has no such address.
The area comes from the area tree at the moment of asking (`neighbourhoods.lookup`).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse

from ..lookup import area_ids_for_points
from ..models import Area
from . import geocoder
from .models import Address
from .normalise import Query

MAX_SUGGESTIONS = 10
MAX_STREET_NUMBERS = 2000  # sorted in Python: a street's numbers are not in text order
STREETS_CACHE_SECONDS = 3600


def register_version():
    """Goes up with every import (`bump_register_version`): cached answers carry it."""
    return cache.get_or_set("addresses:version", 1, None)


def bump_register_version():
    try:
        cache.incr("addresses:version")
    except ValueError:
        cache.set("addresses:version", 2, None)


def _streets():
    """{street key: street name} of the whole register (cached: close matches compare them)."""
    key = f"addresses:streets:{register_version()}"
    streets = cache.get(key)
    if streets is None:
        streets = dict(
            Address.objects.order_by("street_key", "street")
            .values_list("street_key", "street")
            .distinct()
        )
        cache.set(key, streets, STREETS_CACHE_SECONDS)
    return streets


def close_streets(street_key, limit=5):
    """Street names that look like `street_key` (a typo, a missing letter)."""
    streets = _streets()
    matches = difflib.get_close_matches(street_key, list(streets), n=limit, cutoff=0.75)
    return [streets[match] for match in matches]


def _number(housenumber_key):
    match = re.match(r"\d+", housenumber_key)
    return int(match.group(0)) if match else 0


def _areas_for(points):
    """[(lng, lat)] → {(lng, lat): {"id", "name", "url"} or None}, with one query for names."""
    ids = area_ids_for_points(points)
    names = {
        pk: (name, slug)
        for pk, name, slug in Area.objects.filter(
            pk__in={pk for pk in ids.values() if pk}
        ).values_list("pk", "name", "slug")
    }
    return {
        point: (
            {
                "id": pk,
                "name": names[pk][0],
                "url": reverse("neighbourhoods:area-detail", args=[names[pk][1]]),
            }
            if pk in names
            else None
        )
        for point, pk in ids.items()
    }


def suggest(text, limit=MAX_SUGGESTIONS):
    """At most `limit` suggestions for what was typed so far, as plain dicts for JSON.

    With a house number: the addresses starting so. Without: the streets starting so (one entry
    per street, to be completed with a number), or the addresses of the one street that does.
    Nothing found by prefix: streets that look alike."""
    query = Query(text)
    if len(query.street) < 2:
        return []
    addresses = Address.objects.all()
    if query.postcode:
        addresses = addresses.filter(postcode=query.postcode)
    if query.housenumber:
        found = list(addresses.with_prefix(query.key).order_by("search_key")[:limit])
        if not found:  # a typo in the street: the same number in streets that look alike
            found = list(
                addresses.filter(
                    street__in=close_streets(query.street), housenumber_key=query.housenumber
                )[:limit]
            )
        return _address_entries(found)
    streets = list(
        addresses.with_prefix(query.street)
        .order_by("street_key", "street", "postcode", "city")
        .values_list("street_key", "street", "postcode", "city")
        .distinct()[: limit + 1]
    )
    if len({row[0] for row in streets}) == 1:
        return _address_entries(_by_number(addresses.filter(street_key=streets[0][0]))[:limit])
    if not streets:
        streets = [(None, name, "", "") for name in close_streets(query.street, limit)]
    return [
        {"kind": "street", "label": _join(name, _join(code, city, sep=" ")), "value": f"{name} "}
        for _key, name, code, city in streets[:limit]
    ]


def _join(*parts, sep=", "):
    return sep.join(part for part in parts if part)


def _by_number(addresses, most=MAX_STREET_NUMBERS):
    """The addresses in house-number order (2 before 10, 5 before 5a)."""
    found = list(addresses[:most])
    found.sort(key=lambda address: (_number(address.housenumber_key), address.housenumber_key))
    return found


def _address_entries(addresses):
    areas = _areas_for([(address.lng, address.lat) for address in addresses])
    return [
        {
            "kind": "address",
            "label": address.label,
            "value": address.label,
            "lng": address.lng,
            "lat": address.lat,
            "area": areas[(address.lng, address.lat)],
        }
        for address in addresses
    ]


@dataclass
class Found:
    """The answer to a search: the place found (or None) and near misses."""

    query: Query
    label: str = ""
    point: tuple | None = None  # (lng, lat)
    area: dict | None = None
    approximate: bool = False  # "5a" not in the register, "5" is
    from_geocoder: bool = False
    suggestions: list = field(default_factory=list)  # labels to search for instead


def find(text):
    """Address → point → area. The register first (exact, then the number without its
    suffix), then the optional geocoder; near misses when nothing matched."""
    query = Query(text)
    result = Found(query=query)
    if not query:
        return result
    addresses = Address.objects.filter(street_key=query.street)
    if query.postcode:
        addresses = addresses.filter(postcode=query.postcode)
    address = None
    if query.housenumber:
        address = addresses.filter(housenumber_key=query.housenumber).first()
        if address is None and query.base_number:
            address = addresses.filter(housenumber_key=query.base_number).first()
            result.approximate = address is not None
    if address is not None:
        result.label, result.point = address.label, (address.lng, address.lat)
    else:
        place = geocoder.geocode(query.text) if query.housenumber else None
        if place is not None:
            result.label, result.point, result.from_geocoder = place.label, place.point, True
    if result.point is not None:
        result.area = _areas_for([result.point])[result.point]
        return result
    result.suggestions = _near_misses(query, addresses)
    return result


def _near_misses(query, addresses):
    """Other numbers of the same street (the nearest first), else streets that look alike."""
    numbers = list(addresses.values_list("street", "housenumber", "housenumber_key")[:500])
    if numbers:
        wanted = _number(query.housenumber)
        numbers.sort(key=lambda row: (abs(_number(row[2]) - wanted), row[2]))
        return [f"{street} {number}" for street, number, _key in numbers[:5]]
    streets = close_streets(query.street)
    if query.housenumber:
        return [f"{street} {query.housenumber}" for street in streets]
    return streets
