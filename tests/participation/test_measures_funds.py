"""Measures and the neighbourhood fund: the funded projects a measure came from and the fund
("Verfügungsfonds") that pays for it, on the public page and in the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from participation.funds.models import ApplicationStatus, FundApplication
from tests.factories import make_manager, make_user

from .fund_factories import make_application, make_fund
from .helpers import two_areas
from .test_measures import make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return two_areas()


def granted(fund, title, amount="750.00"):
    application = make_application(fund, user=make_user(), title=title)
    FundApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.APPROVED, approved_amount=Decimal(amount)
    )
    return application


def test_measure_page_lists_its_funded_projects_and_the_fund(
    client, areas, django_assert_max_num_queries
):
    north, _ = areas
    fund = make_fund(north)
    project = granted(fund, "Hochbeete im Hof")
    declined = make_application(fund, user=make_user(), title="Abgelehntes Fest")
    FundApplication.objects.filter(pk=declined.pk).update(status=ApplicationStatus.DECLINED)
    measure = make_measure(north, fund=fund, funding="Verfügungsfonds")
    measure.fund_applications.add(project, declined)
    with django_assert_max_num_queries(12):
        page = client.get(measure.get_absolute_url()).content.decode()
    assert "Gefördertes Projekt „Hochbeete im Hof“" in page
    assert "bewilligt: 750,00 €" in page
    assert "Abgelehntes Fest" not in page  # only granted applications are shown
    assert reverse("participation:fund-detail", args=[fund.pk]) in page
    assert fund.name in page
    assert "erika@example.org" not in page and "Erika Muster" not in page


def test_admin_offers_granted_applications_and_funds_of_the_managers_areas(client, areas):
    north, south = areas
    own_fund, other_fund = make_fund(north), make_fund(south)
    mine = granted(own_fund, "Hochbeete im Hof")
    make_application(own_fund, user=make_user(), title="Noch nicht entschieden")
    granted(other_fund, "Fest im Süden")
    manager = make_manager(north, username="qm-nord")
    client.force_login(manager)
    response = client.get(reverse("admin:participation_measure_add"))
    form = response.context["adminform"].form
    assert list(form.fields["fund_applications"].queryset) == [mine]
    assert list(form.fields["fund"].queryset) == [own_fund]
    response = client.post(
        reverse("admin:participation_measure_add"),
        {
            "title": "Hof-Garten",
            "summary": "Hochbeete für alle.",
            "area": north.pk,
            "location": "",
            "funding": "Verfügungsfonds",
            "fund": other_fund.pk,
            "fund_applications": [mine.pk],
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
            "updates-TOTAL_FORMS": 0,
            "updates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # another area's fund is not a valid choice
    assert list(response.context["adminform"].form.errors) == ["fund"], response.context[
        "adminform"
    ].form.errors
