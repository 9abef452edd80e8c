import io

import pytest

from participation.funds import demo
from participation.funds.models import AgendaItem, Body, Fund, FundApplication, Vote
from participation.funds.models import ApplicationStatus as S
from quartier import demo as quartier_demo
from quartier.models import OutboxMail

from .helpers import two_areas

pytestmark = pytest.mark.django_db


def test_demo_funds_in_every_state_idempotently():
    demo.load(stdout=io.StringIO())
    assert not Fund.objects.exists()
    quartier_demo.load(stdout=io.StringIO())
    two_areas()
    demo.load(stdout=io.StringIO())
    quarters = Fund.objects.count()
    assert quarters >= 1
    assert set(FundApplication.objects.values_list("status", flat=True)) == set(S.values)
    assert Vote.objects.filter(choice="conflict").exists()
    assert AgendaItem.objects.filter(decided_at__isnull=False).exists()
    assert Body.objects.filter(memberships__user__username="jury").count() == quarters
    assert not OutboxMail.objects.exists()
    count = FundApplication.objects.count()
    demo.load(stdout=io.StringIO())
    assert FundApplication.objects.count() == count
