"""What the portal knows about an account, gathered from every app without importing them.

Apps register in their `AppConfig.ready()`:

    register_personal_data(
        "ideas",
        export=lambda user: [...],         # JSON-serialisable data about `user`
        anonymise=lambda user: None,       # called before the account is deleted
        contributions=ContributionsSection(  # a section of "Meine Beiträge"
            template_name="participation/ideas/_mine.html",
            slug="ideen",                    # its own pages: /konto/beitraege/ideen/?seite=2
            items=lambda user: Idea.objects.filter(author=user).order_by("-created_at"),
            context=lambda user, rows: {...},  # template context for these rows
            order=10,
        ),
    )

A section with `items` (a queryset of all its rows, in the order shown) lists its newest
OVERVIEW_ROWS on "Meine Beiträge" with their number and a link to its own pages of PAGE_ROWS
rows each: the page costs what it shows, not what the account brought in. The numbers of all
sections are counted in one query, and a section with none is left out without reading it.
Its context gets the rows to show and must carry `anchor` and `heading`; `count`, `more_url`
and `page_obj` (on its own pages) are added.

A section without `items` is called as `context(user)` and shown whole: its context may carry
`count` (shown in the page's overview; 0 leaves it out), or be None to leave it out. A
provider may give several sections (a list), or — the older form — a function returning
[{"title", "url", "date", "kind"}], shown as a plain list. Each section needs a fixed number
of queries whatever the account brought in.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils.translation import gettext_lazy as _

OVERVIEW_ROWS = 5  # rows of a section with `items` on "Meine Beiträge"
PAGE_ROWS = 20  # rows of one of its own pages


@dataclass(frozen=True)
class ContributionsSection:
    template_name: str
    context: object
    order: int = 100
    slug: str = ""
    items: object = None


@dataclass(frozen=True)
class PersonalDataProvider:
    key: str
    export: object
    anonymise: object = None
    contributions: tuple = ()


_providers: dict[str, PersonalDataProvider] = {}


def _listed(key, items_of):
    """The older form, `contributions=lambda user: [{"title", "url", "date", "kind"}]`, as a
    section of its own: a plain list, newest first."""

    def context(user):
        items = sorted(items_of(user), key=lambda item: str(item.get("date") or ""), reverse=True)
        return {
            "anchor": key,
            "heading": _("Weitere Beiträge"),
            "count": len(items),
            "items": items,
        }

    return ContributionsSection(template_name="accounts/_contributions_list.html", context=context)


def register_personal_data(key, *, export, anonymise=None, contributions=()):
    if isinstance(contributions, ContributionsSection):
        contributions = (contributions,)
    elif callable(contributions):
        contributions = (_listed(key, contributions),)
    _providers[key] = PersonalDataProvider(
        key=key, export=export, anonymise=anonymise, contributions=tuple(contributions)
    )


def providers():
    return list(_providers.values())


def contributions_sections():
    """Every provider's sections of "Meine Beiträge", in order."""
    sections = [section for provider in providers() for section in provider.contributions]
    return sorted(sections, key=lambda section: section.order)


def contributions_section(slug):
    """The section with `items` that has its own pages under `slug`, or None."""
    for section in contributions_sections():
        if section.items is not None and section.slug == slug:
            return section
    return None


def count_many(querysets):
    """[number of rows of each queryset] in one query (the querysets are of one database)."""
    counts, parts, params = [], [], []
    for queryset in querysets:
        try:
            sql, more = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter on an empty list
            counts.append(0)
            continue
        counts.append(None)
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 -- ORM SQL
        params.extend(more)
    if parts:
        with connections[querysets[0].db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            found = iter(cursor.fetchone())
        counts = [next(found) if count is None else count for count in counts]
    return counts
