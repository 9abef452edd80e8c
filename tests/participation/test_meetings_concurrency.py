"""Simultaneous sign-ups never exceed capacity (needs PostgreSQL's row locks to be meaningful)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from participation.meetings.models import Meeting, Registration
from participation.meetings.services import registration_create
from tests.factories import make_area

from .meeting_factories import make_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_sign_ups_never_exceed_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL=postgres://…)")
    meeting = make_meeting(make_area("Nordstadt"), capacity=5)
    barrier = threading.Barrier(20)
    errors = []

    def sign_up(n):
        try:
            barrier.wait(timeout=10)
            registration_create(
                meeting=meeting, name=f"Person {n}", email=f"p{n}@example.org", people=1
            )
        except (ValidationError, Exception) as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 5
    assert Registration.objects.filter(meeting=meeting, status="waiting").count() == 15
    assert Meeting.objects.with_counts().get(pk=meeting.pk).confirmed_people == 5
