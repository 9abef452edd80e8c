"""The signed links that stand in for an account — the applicant's link to a fund application
and an office's answer link: tampered or swapped links find nothing (404, never a 500), old ones
say so (410), a link replayed after its one-time step changes nothing, and 20 parallel uses of
one link on PostgreSQL let exactly one win (the rest get a clear refusal, nothing twice).

Already proven elsewhere: forged/expired fund links in tests/participation/test_funds_path.py
and test_funds_pages.py, forged/withdrawn/expired office links and a second answer in
tests/participation/test_offices.py."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.funds import services as funds
from participation.funds.models import ApplicationEvent, FundApplication
from participation.funds.models import ApplicationStatus as S
from participation.ideas.models import ModerationAction, ModerationLog
from participation.offices import services as offices
from participation.offices.models import Forwarding, Office
from tests.factories import make_manager
from tests.participation.fund_factories import make_application, make_fund
from tests.participation.helpers import make_idea, two_areas

PARALLEL = 20


def fund_url(token):
    return reverse("participation:fund-application-link", kwargs={"token": token})


def office_url(token):
    return reverse("participation:office-answer", kwargs={"token": token})


def make_forwarding():
    areas = two_areas()
    return offices.forwarding_create(
        idea=make_idea(areas[0], title="Zebrastreifen"),
        office=Office.objects.create(name="Tiefbauamt", email="tiefbau@stadt.example"),
        question="Geht das?",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        by=make_manager(areas[0], username="qm"),
    )


def tampered(token):
    """Variants of a good token an attacker might try."""
    value, _colon, signature = token.rpartition(":")
    return {
        "signature cut": token[:-1],
        "signature of another token": value + ":" + signature[::-1],
        "payload changed": value[:-1] + ("A" if value[-1] != "A" else "B") + ":" + signature,
        "no signature": value,
        "only colons": ":::",
        "10 KB": "A" * 10_000,
        "non-ASCII": "äöü:ß",
        "percent-encoded NUL": "%00",
        "dots": "..",
    }


@pytest.mark.django_db
def test_tampered_or_swapped_links_find_nothing(client):
    application = make_application(make_fund())
    forwarding = make_forwarding()
    fund_token = funds.applicant_token(application)
    office_token = offices.answer_token(forwarding)
    cases = {f"fund, {name}": fund_url(t) for name, t in tampered(fund_token).items()}
    cases |= {f"office, {name}": office_url(t) for name, t in tampered(office_token).items()}
    cases["office token on the fund page"] = fund_url(office_token)
    cases["fund token on the office page"] = office_url(fund_token)
    cases["fund link signed with the default salt"] = fund_url(
        signing.dumps({"a": application.pk, "n": application.link_nonce}, compress=True)
    )
    cases["office link with a guessed secret"] = office_url(
        signing.dumps({"f": forwarding.pk, "s": "geraten"}, salt="falsch")
    )
    answers = {}
    for name, url in cases.items():
        answers[name] = (client.get(url).status_code, client.post(url, {"answer": "x"}).status_code)
    assert {name: codes for name, codes in answers.items() if codes != (404, 404)} == {}
    assert FundApplication.objects.get().status == application.status
    assert Forwarding.objects.get().answered_at is None


@pytest.mark.django_db
def test_old_links_say_so(client, settings):
    application = make_application(make_fund())
    forwarding = make_forwarding()
    settings.FUND_LINK_MAX_AGE = -1
    settings.OFFICE_LINK_DAYS = -1
    assert client.get(fund_url(funds.applicant_token(application))).status_code == 410
    office = office_url(offices.answer_token(forwarding))
    assert client.get(office).status_code == 410
    assert client.post(office, {"answer": "Zu spät"}).status_code == 410
    assert Forwarding.objects.get().answered_at is None


@pytest.mark.django_db
def test_a_proof_replayed_after_use_changes_nothing(client):
    application = make_application(make_fund())
    FundApplication.objects.filter(pk=application.pk).update(
        status=S.PAID, approved_amount=Decimal("800.00")
    )
    url = fund_url(funds.applicant_token(application))
    data = {"report": "Schönes Fest", "participants": "80", "spent_amount": "800"}
    assert client.post(url, data).status_code == 302
    replay = client.post(url, {**data, "report": "Doch anders", "participants": "1"})
    assert replay.status_code == 302  # the page now has no form: back to it
    application.refresh_from_db()
    assert (application.status, application.report, application.participants) == (
        S.PROOF_SUBMITTED,
        "Schönes Fest",
        80,
    )
    assert (
        ApplicationEvent.objects.filter(application=application, status=S.PROOF_SUBMITTED).count()
        == 1
    )


# --- 20 parallel uses of one link (PostgreSQL's row locks) -------------------------------------


def run_parallel(work):
    barrier = threading.Barrier(PARALLEL)
    results, errors = [], []

    def one(number):
        try:
            barrier.wait(timeout=20)
            results.append(work(number))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_office_answers_through_one_link_one_wins():
    needs_postgresql()
    # An earlier transactional test may have flushed the groups the data migration made.
    Group.objects.get_or_create(name="Quartiersmanagement")
    forwarding = make_forwarding()
    url = office_url(offices.answer_token(forwarding))

    def answer(number):
        return Client().post(url, {"answer": f"Antwort {number}", "name": "Amt"}).status_code

    codes, errors = run_parallel(answer)
    assert errors == []
    assert 500 not in codes
    forwarding.refresh_from_db()
    assert forwarding.answered_at is not None
    assert forwarding.answer.startswith("Antwort ")
    assert (
        ModerationLog.objects.filter(
            idea=forwarding.idea, action=ModerationAction.OFFICE_ANSWER
        ).count()
        == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_proofs_through_one_link_one_wins():
    needs_postgresql()
    application = make_application(make_fund())
    FundApplication.objects.filter(pk=application.pk).update(
        status=S.PAID, approved_amount=Decimal("800.00")
    )

    def proof(number):
        try:
            funds.proof_submit(
                application=application,
                report=f"Bericht {number}",
                participants=number,
                spent_amount=Decimal("800.00"),
            )
        except ValidationError:
            return "refused"
        return "saved"

    results, errors = run_parallel(proof)
    assert errors == []
    assert sorted(results) == ["refused"] * (PARALLEL - 1) + ["saved"]
    assert (
        ApplicationEvent.objects.filter(application=application, status=S.PROOF_SUBMITTED).count()
        == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_confirmations_confirm_once():
    needs_postgresql()
    application = make_application(make_fund())
    assert application.status == S.UNCONFIRMED
    url = fund_url(funds.applicant_token(application))

    def confirm(_number):
        return Client().post(url, {"action": "confirm"}).status_code

    codes, errors = run_parallel(confirm)
    assert errors == []
    assert set(codes) == {302}
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert ApplicationEvent.objects.filter(application=application, status=S.SUBMITTED).count() == 1
