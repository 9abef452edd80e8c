"""Parallel approvals never commit more than the fund's budget (PostgreSQL's row lock)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from participation.funds import services
from participation.funds.models import ApplicationStatus as S
from participation.funds.models import Fund, FundApplication
from tests.participation.fund_factories import make_checked, make_fund, make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_approvals_never_overspend():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL=postgres://…)")
    fund = make_fund(budget="3000.00", maximum="800.00")
    session = make_session(fund.body)
    applications = []
    for _n in range(8):
        application = make_checked(fund)
        services.application_put_before_body(application=application, by=None, session=session)
        for member in fund.body.memberships.all()[:3]:
            services.vote_cast(application=application, membership=member, choice="yes")
        applications.append(application)
    barrier = threading.Barrier(len(applications))
    refused, errors = [], []

    def approve(application):
        try:
            barrier.wait(timeout=10)
            services.application_decide(
                application=application, by=None, outcome=S.APPROVED, amount=Decimal("800.00")
            )
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert FundApplication.objects.filter(status=S.APPROVED).count() == 3  # 3 × 800 ≤ 3000
    assert len(refused) == 5
    fund = Fund.objects.with_money().get(pk=fund.pk)
    assert fund.approved_total == Decimal("2400.00")
    assert fund.remaining == Decimal("600.00")
