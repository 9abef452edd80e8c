import itertools

from network.models import ContactPerson, PartnerKind
from network.services import cooperation_create, partner_create

_counter = itertools.count(1)


def make_partner(name=None, *, kind=PartnerKind.ASSOCIATION, areas=(), **extra):
    return partner_create(name=name or f"Partner {next(_counter)}", kind=kind, areas=areas, **extra)


def make_cooperation(*partners, title=None, kind="project", **extra):
    return cooperation_create(
        partners=partners, kind=kind, title=title or f"Kooperation {next(_counter)}", **extra
    )


def make_contact(partner, *, public=False, name=None, **extra):
    from django.utils import timezone

    return ContactPerson.objects.create(
        partner=partner,
        name=name or f"Person {next(_counter)}",
        email=extra.pop("email", f"person{next(_counter)}@example.org"),
        public_consent_at=timezone.now() if public else None,
        **extra,
    )
