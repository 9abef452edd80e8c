"""The hook through which other apps add sections to a partner's page (/netzwerk/<slug>/).

`network` imports nothing of `participation`; an app that has something to show about a
partner registers a section in its `AppConfig.ready()` (participation: the meetings the partner
organises, in `participation/meetings/hooks.py`):

    from network.registry import register_partner_section
    register_partner_section(
        "meetings",
        template_name="participation/meetings/_partner_section.html",
        context=lambda partner, request: {"meetings": [...]},   # or None: section left out
        order=50,
    )

Each section is rendered with `render_to_string(template_name, context, request)` in the main
column, after the partner's cooperations, in `order` (lower first).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerSection:
    key: str
    template_name: str
    context: object
    order: int = 100


_partner_sections: dict[str, PartnerSection] = {}


def register_partner_section(key, *, template_name, context, order=100):
    _partner_sections[key] = PartnerSection(
        key=key, template_name=template_name, context=context, order=order
    )


def partner_sections():
    return sorted(_partner_sections.values(), key=lambda section: (section.order, section.key))


def render_partner_sections(partner, request):
    """The registered sections for `partner` as HTML strings (sections without context left out)."""
    from django.template.loader import render_to_string

    rendered = []
    for section in partner_sections():
        context = section.context(partner, request)
        if context is not None:
            rendered.append(render_to_string(section.template_name, context, request))
    return rendered
