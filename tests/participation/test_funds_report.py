"""The report's "Fonds" section: money by area, topic, target group; first-time applicants;
residents vs institutions."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.funds import services
from participation.funds.models import ApplicationStatus as S
from participation.topics.models import Topic
from tests.factories import make_area, make_coordination
from tests.participation.fund_factories import make_checked, make_fund, make_session

pytestmark = pytest.mark.django_db


def approve(application, amount):
    fund = application.fund
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    for member in fund.body.memberships.all()[:3]:
        services.vote_cast(application=application, membership=member, choice="yes")
    services.application_decide(
        application=application, by=None, outcome=S.APPROVED, amount=Decimal(amount)
    )


def test_funds_section(client):
    area = make_area("Südstadt")
    fund = make_fund(area)
    topic = Topic.objects.first()
    approve(
        make_checked(fund, topic=topic, target_groups="Kinder, Familien", email="a@example.org"),
        "800",
    )
    approve(
        make_checked(
            fund,
            applicant_kind="partner",
            organisation="Verein",
            target_groups="kinder",
            email="b@example.org",
        ),
        "300.50",
    )
    make_checked(fund, email="a@example.org")  # not decided, same person
    client.force_login(make_coordination())
    today = timezone.localdate()
    period = {"von": (today - datetime.timedelta(days=30)).isoformat(), "bis": today.isoformat()}
    report = client.get(reverse("participation:reports"), period).context["report"]
    assert report.table("funds-overview").rows[2][1] == 1100.5
    assert report.table("funds-overview").rows[3][1] == 2  # two people, both for the first time
    assert report.table("funds-overview").rows[4][1] == 2
    assert ["Kinder", 2, 1100.5] in report.table("funds-groups").rows
    assert [topic.name, 1, 800.0] in report.table("funds-topics").rows
    kinds = {row[0]: row[2] for row in report.table("funds-kinds").rows}
    assert kinds["Einrichtung / Verein"] == 300.5
