"""Deleting what was never confirmed, gathered from every app without importing them.

Apps register in their `AppConfig.ready()`:

    register_purge(
        "ideas",
        label="unconfirmed idea(s)",
        purge=ideas_purge_unconfirmed,  # purge(*, now, dry_run) -> rows (to be) deleted
    )

`manage.py purge_unconfirmed` (the daily cron job) runs every registered purge, each in its own
transaction, in the order of registration after the accounts of `quartier.accounts`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Purge:
    key: str
    label: str
    purge: object


_purges: dict[str, Purge] = {}


def register_purge(key, *, label, purge):
    _purges[key] = Purge(key=key, label=label, purge=purge)


def purges():
    return list(_purges.values())
