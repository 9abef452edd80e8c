"""What the portal knows about an account, gathered from every app without importing them.

Apps register in their `AppConfig.ready()`:

    register_personal_data(
        "ideas",
        export=lambda user: [...],         # JSON-serialisable data about `user`
        anonymise=lambda user: None,       # called before the account is deleted
        contributions=lambda user: [...],  # [{"title", "url", "date", "kind"}] for "Meine Beiträge"
    )
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataProvider:
    key: str
    export: object
    anonymise: object = None
    contributions: object = None


_providers: dict[str, PersonalDataProvider] = {}


def register_personal_data(key, *, export, anonymise=None, contributions=None):
    _providers[key] = PersonalDataProvider(
        key=key, export=export, anonymise=anonymise, contributions=contributions
    )


def providers():
    return list(_providers.values())
