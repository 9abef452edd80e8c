"""What the portal knows about an account, gathered from every app without importing them.

Apps register in their `AppConfig.ready()`:

    register_personal_data(
        "ideas",
        export=lambda user: [...],         # JSON-serialisable data about `user`
        anonymise=lambda user: None,       # called before the account is deleted
        contributions=ContributionsSection(  # a section of "Meine Beiträge"
            template_name="participation/ideas/_mine.html",
            context=lambda user: {...},      # template context, or None to leave it out
            order=10,
        ),
    )

A provider may give several sections (a list), or — the older form — a function returning
[{"title", "url", "date", "kind"}], shown as a plain list. Each section needs a fixed number
of queries whatever the account brought in; its context may carry `count` (shown in the page's
overview) and must carry `anchor` and `heading` for the overview's links.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ContributionsSection:
    template_name: str
    context: object
    order: int = 100


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
