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
    None to leave the section out; `area_ids` are the area and all its sub-areas — the one
    scope of every figure on the page. `order` sorts the sections (lower first).

    A retired area's page is a history page: only sections with `on_retired=True` appear
    there (what was said and measured in the area), and they offer no way to take part.
    """

    key: str
    template_name: str
    context: object
    order: int = 100
    on_retired: bool = False


_area_sections: dict[str, AreaSection] = {}


def register_area_section(key, *, template_name, context, order=100, on_retired=False):
    _area_sections[key] = AreaSection(
        key=key,
        template_name=template_name,
        context=context,
        order=order,
        on_retired=on_retired,
    )


def area_sections(*, current=True):
    """The sections of an area page in order; for a retired area (`current=False`) only those
    registered with `on_retired=True`."""
    sections = [s for s in _area_sections.values() if current or s.on_retired]
    return sorted(sections, key=lambda section: (section.order, section.key))
