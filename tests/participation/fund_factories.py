"""Factories for the fund tests: a jury with members, a fund, an application."""

import datetime
from decimal import Decimal

from django.utils import timezone

from participation.funds import services
from participation.funds.models import Body, BodySession, Fund, Membership
from tests.factories import make_area, make_user


def make_body(area=None, *, members=5, quorum=3, slug=None):
    area = area or make_area()
    body = Body.objects.create(
        name=f"Vergabejury {area.name}", slug=slug or f"jury-{area.slug}", area=area, quorum=quorum
    )
    start = timezone.localdate() - datetime.timedelta(days=365)
    for number in range(members):
        user = make_user()
        Membership.objects.create(
            body=body,
            name=f"Mitglied {number + 1}",
            user=user,
            role=Membership.Role.CHAIR if number == 0 else Membership.Role.MEMBER,
            term_start=start,
            name_public=number % 2 == 0,
        )
    return body


def make_fund(area=None, *, body=None, budget="5000.00", maximum="1500.00", **extra):
    body = body or make_body(area)
    return Fund.objects.create(
        name=f"Quartiersfonds {body.area.name}",
        area=body.area,
        year=timezone.localdate().year,
        budget=Decimal(budget),
        max_per_application=Decimal(maximum),
        body=body,
        source="Städtebauförderung",
        **extra,
    )


def make_session(body, *, days=7):
    return BodySession.objects.create(
        body=body, title="Jurysitzung", starts_at=timezone.now() + datetime.timedelta(days=days)
    )


def application_fields(fund, **extra):
    today = timezone.localdate()
    fields = {
        "area": fund.area,
        "title": "Straßenfest Lindenplatz",
        "description": "Ein Fest für alle Nachbarinnen und Nachbarn.",
        "starts_on": today + datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=30),
        "target_groups": "Familien, Ältere",
        "applicant_name": "Erika Muster",
        "email": "erika@example.org",
        "requested_amount": Decimal("800.00"),
        "own_contribution": Decimal("100.00"),
    }
    fields.update(extra)
    return fields


COST_PLAN = [("Bänke und Tische", Decimal("450.00")), ("Musik", Decimal("450.00"))]


def make_application(fund, *, user=None, cost_items=COST_PLAN, **extra):
    return services.application_submit(
        fund=fund, cost_items=list(cost_items), user=user, **application_fields(fund, **extra)
    )


def make_checked(fund, **extra):
    application = make_application(fund, user=make_user(), **extra)
    staff = make_user(is_staff=True)
    return services.application_check(
        application=application, by=staff, complete=True, eligible=True, costs=True
    )
