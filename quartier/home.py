"""Sections of the home page, added by the apps without `quartier` importing them.

Apps register in their `AppConfig.ready()` (participation: in a feature's `hooks.py`):

    register_home_section(
        "latest-ideas",
        template_name="participation/ideas/_home_section.html",
        context=lambda request: {...},   # or None to leave the section out
        order=20,
    )

Each section is rendered with `render_to_string(template_name, context, request)` in `order`.
A section must need a fixed number of queries whatever the data size (the home page's query
count is tested). `wide=True` lets a section span the whole row of the home page's grid.

A section the same for every visitor (nothing of the request in it) may give `cache_scopes`
(quartier.fragments scopes such as "model:participation.idea"): its HTML is then kept until a
row of those scopes is written (or `cache_seconds` pass, for sections that move on with time).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    key: str
    template_name: str
    context: object
    order: int = 100
    wide: bool = False
    cache_scopes: tuple | None = None
    cache_seconds: int | None = None


_home_sections: dict[str, HomeSection] = {}


def register_home_section(
    key, *, template_name, context, order=100, wide=False, cache_scopes=None, cache_seconds=None
):
    _home_sections[key] = HomeSection(
        key=key,
        template_name=template_name,
        context=context,
        order=order,
        wide=wide,
        cache_scopes=tuple(cache_scopes) if cache_scopes is not None else None,
        cache_seconds=cache_seconds,
    )


def unregister_home_section(key):
    _home_sections.pop(key, None)


def home_sections():
    return sorted(_home_sections.values(), key=lambda section: (section.order, section.key))
