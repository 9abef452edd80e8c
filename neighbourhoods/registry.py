"""The one hook between neighbourhoods and the apps that place things in areas.

`neighbourhoods` imports no other app of ours. Apps whose models carry an area (and usually a
GeoJSON point) register them in their `AppConfig.ready()`:

    from neighbourhoods.registry import register_located
    register_located(Idea, area_field="area", point_field="location")

When an area is split or retired, the split service re-assigns the items of every registered
model in the same transaction: an item with a point moves to the new area containing it, an
item without a point stays where it is. Apps that must react to a split beyond moving items
(followers of an area, say) register a callback with `on_split`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LocatedModel:
    model: type
    area_field: str = "area"
    point_field: str | None = "location"


_located: list[LocatedModel] = []
_split_callbacks: list = []


def register_located(model, *, area_field="area", point_field="location"):
    entry = LocatedModel(model=model, area_field=area_field, point_field=point_field)
    if entry not in _located:
        _located.append(entry)
    return entry


def unregister_located(model):
    _located[:] = [entry for entry in _located if entry.model is not model]


def located_models():
    return list(_located)


def on_split(callback):
    """Register `callback(*, old_area, new_areas)`, called inside the split's transaction."""
    if callback not in _split_callbacks:
        _split_callbacks.append(callback)
    return callback


def split_callbacks():
    return list(_split_callbacks)


@dataclass(frozen=True)
class AreaSection:
    """A section another app adds to an area's page (/quartiere/<slug>/).

    `context(area, area_ids, request)` returns the template context for `template_name`, or
    None to leave the section out; `area_ids` are the area and all its sub-areas. `order`
    sorts the sections (lower first).
    """

    key: str
    template_name: str
    context: object
    order: int = 100


_area_sections: dict[str, AreaSection] = {}


def register_area_section(key, *, template_name, context, order=100):
    _area_sections[key] = AreaSection(
        key=key, template_name=template_name, context=context, order=order
    )


def area_sections():
    return sorted(_area_sections.values(), key=lambda section: (section.order, section.key))


@dataclass(frozen=True)
class InboxRow:
    """A line of the back office's inbox (the admin's start page): what waits, per area.

    `waiting(area_ids)` answers in ONE query, for the given areas (None = all areas), a dict
    {area_id: (count, since)} of what waits in each area and since when (the oldest item's
    date); rows that do not belong to areas answer {None: (count, since)}. `link(area_id)` is
    the admin list filtered to those items. `visible(user)`, if given, decides who sees the
    row at all (default: all area staff). `details(area_ids)`, if given, returns
    {area_id: [text or (text, url), …]} shown under the count (say, this week's meetings).
    `since_label` says what the date means ("seit", "ab"). `order` sorts the rows.
    """

    key: str
    label: object
    waiting: object
    link: object
    order: int = 100
    visible: object = None
    details: object = None
    since_label: object = None


_inbox_rows: dict[str, InboxRow] = {}


def register_inbox_row(key, *, label, waiting, link, order=100, **options):
    _inbox_rows[key] = InboxRow(
        key=key, label=label, waiting=waiting, link=link, order=order, **options
    )


def inbox_rows():
    return sorted(_inbox_rows.values(), key=lambda row: (row.order, row.key))
