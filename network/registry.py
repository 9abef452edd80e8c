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

from neighbourhoods.registry import SectionRegistry

partner_section_registry = SectionRegistry()
register_partner_section = partner_section_registry.register
partner_sections = partner_section_registry.sections


def render_partner_sections(partner, request):
    """The registered sections for `partner` as HTML (sections without context left out)."""
    return partner_section_registry.render(partner, request=request)
