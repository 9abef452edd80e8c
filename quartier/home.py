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
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    key: str
    template_name: str
    context: object
    order: int = 100
    wide: bool = False


_home_sections: dict[str, HomeSection] = {}


def register_home_section(key, *, template_name, context, order=100, wide=False):
    _home_sections[key] = HomeSection(
        key=key, template_name=template_name, context=context, order=order, wide=wide
    )


def unregister_home_section(key):
    _home_sections.pop(key, None)


def home_sections():
    return sorted(_home_sections.values(), key=lambda section: (section.order, section.key))
