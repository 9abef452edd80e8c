"""Writes to the address register: one import, all or nothing."""

from django.db import transaction

from .models import Address
from .selectors import bump_register_version

BATCH = 500
UPDATE_BATCH = 100  # bulk_update writes a CASE per field: small batches stay fast
FIELDS = ["street", "housenumber", "city", "lng", "lat", "source_id"]


def addresses_import(*, rows, prune=False, progress=None):
    """Create or update the addresses of `rows` (importer.Row) in one transaction.

    An address is the same when street, house number (their keys) and postcode are: a second
    import updates it instead of adding another, and writes only what changed. Rows marked for
    deletion (HK-DE "L") delete; `prune` deletes every address the file does not name (a full
    register replaces the old). Returns (created, updated, unchanged, deleted)."""
    existing, stored = {}, {}
    for pk, street, number, postcode, *values in Address.objects.values_list(
        "pk", "street_key", "housenumber_key", "postcode", *FIELDS
    ):
        existing[(street, number, postcode)] = pk
        stored[pk] = tuple(values)
    seen, to_create, to_update, to_delete, unchanged = set(), {}, {}, set(), set()
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        if progress:
            progress(done, total)
        address = Address(
            street=row.street,
            housenumber=row.housenumber,
            postcode=row.postcode,
            city=row.city,
            lng=row.lng,
            lat=row.lat,
            source_id=row.source_id,
        )
        address.fill_keys()
        key = (address.street_key, address.housenumber_key, address.postcode)
        if row.delete:
            to_create.pop(key, None)
            to_update.pop(key, None)
            if key in existing:
                to_delete.add(existing[key])
            continue
        seen.add(key)
        if key in existing:
            address.pk = existing[key]
            if stored[address.pk] == tuple(getattr(address, name) for name in FIELDS):
                to_update.pop(key, None)
                unchanged.add(key)
            else:
                unchanged.discard(key)
                to_update[key] = address
        else:
            to_create[key] = address
    with transaction.atomic():
        Address.objects.bulk_create(to_create.values(), batch_size=BATCH)
        Address.objects.bulk_update(
            to_update.values(), [*FIELDS, "search_key"], batch_size=UPDATE_BATCH
        )
        if prune:
            to_delete |= {pk for key, pk in existing.items() if key not in seen}
        deleted = 0
        to_delete = sorted(to_delete)
        for start in range(0, len(to_delete), BATCH):
            deleted += Address.objects.filter(pk__in=to_delete[start : start + BATCH]).delete()[0]
        transaction.on_commit(bump_register_version)
    return len(to_create), len(to_update), len(unchanged), deleted
