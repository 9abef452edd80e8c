"""The demo data of offices, measures and the Quartiersbrief: loaded, idempotent, no mail."""

import io

import pytest
from django.core import mail

from participation import demo
from participation.measures.models import Measure
from participation.newsletter.models import Newsletter
from participation.offices.models import Forwarding, Office
from quartier import demo as quartier_demo

from .helpers import two_areas

pytestmark = pytest.mark.django_db


def test_follow_through_demo_is_loaded_once_and_mails_nobody(
    client, django_capture_on_commit_callbacks
):
    quartier_demo.load(stdout=io.StringIO())
    two_areas()
    with django_capture_on_commit_callbacks(execute=False):
        demo.load(stdout=io.StringIO())
    counts = (Office.objects.count(), Forwarding.objects.count(), Measure.objects.count())
    assert counts[0] == 3 and counts[1] >= 2 and counts[2] == 2
    assert Newsletter.objects.sent().count() == 1
    with django_capture_on_commit_callbacks(execute=False):
        demo.load(stdout=io.StringIO())
    assert (Office.objects.count(), Forwarding.objects.count(), Measure.objects.count()) == counts
    assert mail.outbox == []
    measure = Measure.objects.first()
    assert client.get(measure.get_absolute_url()).status_code == 200
    idea = Forwarding.objects.first().idea
    assert "weitergeleitet" in client.get(idea.get_absolute_url()).content.decode()
