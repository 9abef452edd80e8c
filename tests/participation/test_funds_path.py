"""The whole way of an application through its services: apply → check → ask for changes →
jury votes (one member with a conflict) → approval → payment → proof → closed; quorum, conflicts,
money that adds up, the signed link and its expiry."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from participation.funds import services
from participation.funds.models import (
    AgendaItem,
    ApplicationEvent,
    Fund,
    FundApplication,
    FundTranche,
    Vote,
)
from participation.funds.models import (
    ApplicationStatus as S,
)
from tests.factories import make_user
from tests.participation.fund_factories import (
    COST_PLAN,
    application_fields,
    make_application,
    make_checked,
    make_fund,
    make_session,
)

pytestmark = pytest.mark.django_db


def votes(application, *choices):
    members = list(application.fund.body.memberships.order_by("pk"))
    for member, choice in zip(members, choices, strict=False):
        services.vote_cast(application=application, membership=member, choice=choice)


def test_street_party_from_application_to_closed(django_capture_on_commit_callbacks):
    """The issue's "done when": 800 € for a street party, decided in session with a conflict."""
    fund = make_fund()
    staff = make_user(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(fund)  # a visitor: confirms by link first
    assert application.status == S.UNCONFIRMED
    assert "bestätigen" in mail.outbox[-1].body
    token = mail.outbox[-1].body.split("/fonds/antrag/")[1].split("/")[0]
    assert services.application_from_token(token) == application

    with django_capture_on_commit_callbacks(execute=True):
        services.application_confirm(application=application)
        services.application_request_changes(
            application=application, by=staff, text="Bitte Angebot für die Musik beilegen."
        )
    application.refresh_from_db()
    assert application.status == S.CHANGES_REQUESTED
    assert "Angebot für die Musik" in mail.outbox[-1].body

    services.application_revise(
        application=application,
        cost_items=[("Bänke", Decimal("400.00")), ("Musik (Angebot)", Decimal("500.00"))],
        description="Mit Angebot.",
    )
    services.application_check(
        application=application, by=staff, complete=True, eligible=True, costs=True
    )
    session = make_session(fund.body)
    services.application_put_before_body(application=application, by=staff, session=session)
    item = AgendaItem.objects.get(application=application)

    votes(application, "yes", "yes", "yes", "abstain", "conflict")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, by=staff, outcome=S.APPROVED, amount=Decimal("800.00")
        )
    application.refresh_from_db()
    assert (
        application.votes_yes,
        application.votes_no,
        application.votes_abstain,
        application.votes_conflict,
    ) == (3, 0, 1, 1)
    assert "800,00 € bewilligt" in mail.outbox[-1].body
    item.refresh_from_db()
    assert item.decided_at and item.votes_yes == 3

    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(application=application, by=staff, amount=Decimal("800.00"))
    assert "Verwendungsnachweis" in mail.outbox[-1].body
    services.proof_submit(
        application=application,
        report="120 Gäste, schön war's.",
        participants=120,
        spent_amount=Decimal("760.50"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_close(application=application, by=staff)
    application.refresh_from_db()
    assert application.status == S.REPAYMENT_REQUESTED
    assert "39,50 €" in mail.outbox[-1].body
    services.payment_record(
        application=application, by=staff, amount=Decimal("-39.50"), note="Rückzahlung"
    )
    application.refresh_from_db()
    assert application.status == S.CLOSED
    fund = Fund.objects.with_money().get(pk=fund.pk)
    assert fund.paid_total == Decimal("760.50")
    assert fund.approved_total == Decimal("760.50")
    assert fund.remaining == Decimal("4239.50")
    assert fund.proven_total == Decimal("760.50")
    assert fund.open_total == Decimal("0.00")
    statuses = list(
        ApplicationEvent.objects.filter(application=application).values_list("status", flat=True)
    )
    for status in (
        S.UNCONFIRMED,
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
        S.CHECKED,
        S.BEFORE_BODY,
        S.APPROVED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.REPAYMENT_REQUESTED,
        S.CLOSED,
    ):
        assert status in statuses


def test_locked_agenda_item_text():
    fund = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    votes(application, "no", "no", "no")
    services.application_decide(
        application=application, by=None, outcome=S.DECLINED, reason="Nicht im Gebiet."
    )
    item = AgendaItem.objects.get(application=application)
    item.text = "nachträglich geändert"
    with pytest.raises(ValidationError, match="beschlossen"):
        item.full_clean()


def test_quorum_counts_without_members_in_conflict():
    fund = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    votes(application, "yes", "yes", "conflict", "conflict")
    with pytest.raises(ValidationError, match="nicht beschlussfähig"):
        services.application_decide(
            application=application, by=None, outcome=S.APPROVED, amount=Decimal("800")
        )
    assert FundApplication.objects.get(pk=application.pk).status == S.BEFORE_BODY


def test_decision_must_match_the_votes():
    fund = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    votes(application, "yes", "no", "no")
    with pytest.raises(ValidationError, match="mehr Ja- als Nein"):
        services.application_decide(
            application=application, by=None, outcome=S.APPROVED, amount=Decimal("800")
        )


def test_written_procedure_online_votes_until_deadline(django_capture_on_commit_callbacks):
    fund = make_fund()
    application = make_checked(fund)
    deadline = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_put_before_body(
            application=application, by=None, written_deadline=deadline
        )
    assert sum("Umlaufverfahren" in m.subject for m in mail.outbox) == 5
    member = fund.body.memberships.first()
    services.vote_cast(application=application, membership=member, choice="yes", online=True)
    services.vote_cast(application=application, membership=member, choice="conflict", online=True)
    assert Vote.objects.get(membership=member).choice == "conflict"
    FundApplication.objects.filter(pk=application.pk).update(
        written_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="Frist"):
        services.vote_cast(application=application, membership=member, choice="yes", online=True)


def test_member_of_another_body_cannot_vote():
    fund = make_fund()
    other = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    with pytest.raises(ValidationError, match="Mitglieder"):
        services.vote_cast(
            application=application, membership=other.body.memberships.first(), choice="yes"
        )


def test_budget_never_overspent_and_tranches_count():
    fund = make_fund(budget="1000.00", maximum="800.00")
    FundTranche.objects.create(
        fund=fund, released_on=timezone.localdate(), amount=Decimal("600.00")
    )
    FundTranche.objects.create(
        fund=fund,
        released_on=timezone.localdate() + datetime.timedelta(days=90),
        amount=Decimal("400.00"),
    )
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    votes(application, "yes", "yes", "yes")
    with pytest.raises(ValidationError, match="600,00 € frei"):
        services.application_decide(
            application=application, by=None, outcome=S.APPROVED, amount=Decimal("800.00")
        )
    services.application_decide(
        application=application, by=None, outcome=S.APPROVED, amount=Decimal("600.00")
    )
    assert Fund.objects.with_money().get(pk=fund.pk).remaining == Decimal("0.00")


@pytest.mark.parametrize(
    ("extra", "cost_items", "field", "message"),
    [
        ({"requested_amount": Decimal("700.00")}, COST_PLAN, "requested_amount", "geht nicht auf"),
        (
            {"requested_amount": Decimal("1900.00"), "own_contribution": Decimal("0")},
            [("Bühne", Decimal("1900.00"))],
            "requested_amount",
            "höchstens 1.500,00",
        ),
        ({}, [], "cost_items", "mindestens einen Kostenposten"),
    ],
)
def test_cost_plan_that_does_not_add_up(extra, cost_items, field, message):
    fund = make_fund()
    with pytest.raises(ValidationError) as error:
        make_application(fund, cost_items=cost_items, **extra)
    assert message in " ".join(error.value.message_dict[field])
    assert not FundApplication.objects.exists()


def test_own_contribution_minimum():
    fund = make_fund(own_contribution_percent=20)
    with pytest.raises(ValidationError) as error:
        make_application(fund)
    assert "mindestens 20 %" in error.value.message_dict["own_contribution"][0]


def test_payments_never_exceed_the_approval():
    fund = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    votes(application, "yes", "yes", "yes")
    services.application_decide(
        application=application, by=None, outcome=S.APPROVED, amount=Decimal("500.00")
    )
    services.payment_record(application=application, by=None, amount=Decimal("300.00"))
    with pytest.raises(ValidationError, match="mehr als die bewilligten"):
        services.payment_record(application=application, by=None, amount=Decimal("200.01"))
    services.payment_record(application=application, by=None, amount=Decimal("200.00"))


def test_signed_link_expires_and_forged_links_find_nothing(settings):
    fund = make_fund()
    application = make_application(fund)
    token = services.applicant_token(application)
    settings.FUND_LINK_MAX_AGE = -1
    with pytest.raises(services.LinkExpired) as expired:
        services.application_from_token(token)
    assert expired.value.application == application
    settings.FUND_LINK_MAX_AGE = 3600
    with pytest.raises(FundApplication.DoesNotExist):
        services.application_from_token(token[:-2] + "xx")
    forged = signing.dumps({"a": application.pk, "n": "guessed"}, salt="other", compress=True)
    with pytest.raises(FundApplication.DoesNotExist):
        services.application_from_token(forged)


def test_closed_fund_takes_no_applications():
    fund = make_fund(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="keine Anträge"):
        make_application(fund)
    assert application_fields(fund)
