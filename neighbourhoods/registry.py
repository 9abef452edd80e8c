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
class SplitCount:
    """A line of the split and retire previews for what an `on_split` callback (or nothing)
    does with a kind of data that is not a located model (followers, mood answers).

    `count(*, old_area, new_areas, retires)` answers, without writing, {index: n} for what goes
    to `new_areas[index]` (unsaved areas in a split preview, so compare by index, not pk) and
    {None: n} for what stays with `old_area`; `retires` says whether `old_area` ends.
    """

    key: str
    label: object
    count: object
    order: int = 100


_split_counts: dict[str, SplitCount] = {}


def register_split_count(key, *, label, count, order=100):
    _split_counts[key] = SplitCount(key=key, label=label, count=count, order=order)


def split_counts():
    return sorted(_split_counts.values(), key=lambda entry: (entry.order, entry.key))


@dataclass(frozen=True)
class Section:
    """A section another app adds to a page: `context(*args, request)` returns the context for
    `template_name`, or None to leave the section out. `order` sorts them (lower first).

    A retired area's page is a history page: only sections with `on_retired=True` appear
    there (what was said and measured in the area), and they offer no way to take part."""

    key: str
    template_name: str
    context: object
    order: int = 100
    on_retired: bool = False
    # Kept as rendered HTML (quartier.fragments) under the versions of the page's areas and of
    # these scopes ("app:network", "model:participation.topic"), when given: only for sections
    # whose HTML depends on nothing but the page's area(s), the language and rows of those
    # areas and scopes (no forms, nothing of the visitor).
    cache_scopes: tuple | None = None
    cache_seconds: int | None = None
    # False: the HTML depends on the rows of `cache_scopes` only, not on every row of the page's
    # areas — a support or a comment in the area then leaves the section kept.
    area_scoped: bool = True
    # With `area_scoped`: the HTML depends only on the rows of these models in the page's areas
    # ("participation.meeting", "participation.registration"): a write of another kind of row
    # there (a comment) leaves it kept (fragments.area_models_scopes). None: every row counts.
    area_models: tuple | None = None


class SectionRegistry:
    """Sections other apps add to one kind of page; used for area pages here and for partner
    pages by `network.registry`."""

    def __init__(self):
        self.entries: dict[str, Section] = {}

    def register(
        self,
        key,
        *,
        template_name,
        context,
        order=100,
        on_retired=False,
        cache_scopes=None,
        cache_seconds=None,
        area_scoped=True,
        area_models=None,
    ):
        self.entries[key] = Section(
            key=key,
            template_name=template_name,
            context=context,
            order=order,
            on_retired=on_retired,
            cache_scopes=tuple(cache_scopes) if cache_scopes is not None else None,
            cache_seconds=cache_seconds,
            area_scoped=area_scoped,
            area_models=tuple(area_models) if area_models is not None else None,
        )

    def sections(self, *, current=True):
        """The sections in order; for a retired area's page (`current=False`) only those
        registered with `on_retired=True`."""
        sections = [s for s in self.entries.values() if current or s.on_retired]
        return sorted(sections, key=lambda section: (section.order, section.key))

    def render(self, *args, request, current=True):
        """Each section's HTML for `context(*args, request)`; sections without context left out.
        Sections registered with `cache_scopes` come from quartier.fragments while kept — all
        of them in two round trips to the cache (per keeping time)."""
        sections = self.sections(current=current)
        kept = self._render_cached(
            [s for s in sections if s.cache_scopes is not None], args, request, current
        )
        rendered = []
        for section in sections:
            if section.cache_scopes is not None:
                html = kept.get(section.key) or None
            else:
                html = self._render(section, args, request)
            if html is not None:
                rendered.append(html)
        return rendered

    @staticmethod
    def _render(section, args, request):
        from django.template.loader import render_to_string

        context = section.context(*args, request)
        if context is None:
            return None
        return render_to_string(section.template_name, context, request)

    def _render_cached(self, sections, args, request, current):
        """{key: HTML ("" for nothing)} of `sections` from quartier.fragments: for area pages
        `args` are (area, area_ids) and each key holds the area, its scope and the versions of
        both; the versions and the kept HTML of every section are read at once."""
        from quartier import fragments

        if not sections:
            return {}
        area, area_ids = args[0], args[1]
        area_scopes = [fragments.area_scope(pk) for pk in sorted(area_ids)]
        scope_name = f"{area.pk}:{int(current)}:" + ",".join(map(str, sorted(area_ids)))

        def scopes(section):
            if not section.area_scoped:
                return list(section.cache_scopes)
            if section.area_models is not None:
                return [
                    *fragments.area_models_scopes(area_ids, section.area_models),
                    *section.cache_scopes,
                ]
            return area_scopes + list(section.cache_scopes)

        return fragments.cached_sections(
            sections,
            lambda section: (f"section:{section.key}:{scope_name}", scopes(section)),
            lambda section: self._render(section, args, request),
        )


# Area pages (/quartiere/<slug>/): `context(area, area_ids, request)`, where `area_ids` are the
# area and every area below it (current or not, without successors).
area_section_registry = SectionRegistry()
_area_sections = area_section_registry.entries
register_area_section = area_section_registry.register
area_sections = area_section_registry.sections


@dataclass(frozen=True)
class AreaAdminLink:
    """A link in the tools of an area's admin page: `url(area)` (None: no link for this area)."""

    key: str
    label: object
    url: object
    order: int = 100


_area_admin_links: dict[str, AreaAdminLink] = {}


def register_area_admin_link(key, *, label, url, order=100):
    _area_admin_links[key] = AreaAdminLink(key=key, label=label, url=url, order=order)


def area_admin_links(area):
    """(label, url) of the links for `area`, in order."""
    links = sorted(_area_admin_links.values(), key=lambda link: (link.order, link.key))
    return [(link.label, url) for link in links if (url := link.url(area))]


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


@dataclass(frozen=True)
class SplitProposal:
    """A starting point for the split screen that an app offers (the people's own map, say).

    `parts(area)` answers a list of `{"name", "boundary"}` (what `area_split` takes as children)
    proposed for `area`, or an empty list. The split screen opens with them when its address
    carries `?vorschlag=<key>`, and shows them as a dry run before anything is saved.
    """

    key: str
    label: object
    parts: object


_split_proposals: dict[str, SplitProposal] = {}


def register_split_proposal(key, *, label, parts):
    _split_proposals[key] = SplitProposal(key=key, label=label, parts=parts)


def split_proposal(key):
    return _split_proposals.get(key)
