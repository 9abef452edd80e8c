"""The Quartiersbrief's test mail: before sending, the writer sends it to their own address —
through the outbox, as a follower would get it — and nobody else hears of it."""

import pytest
from django.core import mail
from django.urls import reverse

from participation.newsletter.models import Newsletter
from tests.factories import make_manager

from .test_newsletter import follow, letter, two_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return two_areas()


def test_send_a_test_to_myself_then_send_to_the_followers(client, areas, requests_commit):
    manager = make_manager(areas[0], username="qm-nord")
    manager.email = "qm-nord@stadt.example"
    manager.save()
    follow(areas[0])
    newsletter = letter(areas[0])
    client.force_login(manager)
    send_page = reverse("admin:participation_newsletter_send", args=[newsletter.pk])
    assert "Testmail an mich schicken" in client.get(send_page).content.decode()

    test_url = reverse("admin:participation_newsletter_test", args=[newsletter.pk])
    response = client.post(test_url, follow=True)
    assert "Eine Testmail geht an qm-nord@stadt.example." in response.content.decode()
    client.post(test_url)  # a double click sends one
    [test] = mail.outbox
    assert test.to == ["qm-nord@stadt.example"]
    assert test.subject.endswith("[Test] Sommerfest am Markt")
    assert "Kommt alle!" in test.body
    newsletter.refresh_from_db()
    assert not newsletter.is_sent and newsletter.recipients == 0

    mail.outbox.clear()
    client.post(send_page)
    assert len(mail.outbox) == 1 and mail.outbox[0].to != ["qm-nord@stadt.example"]
    # once sent, no more test mails
    response = client.post(test_url, follow=True)
    assert "bereits versendet" in response.content.decode()
    assert len(mail.outbox) == 1


def test_no_test_mail_without_an_address_or_for_another_area(client, areas):
    manager = make_manager(areas[0], username="qm-nord")
    manager.email = ""
    manager.save()
    newsletter = letter(areas[0])
    client.force_login(manager)
    test_url = reverse("admin:participation_newsletter_test", args=[newsletter.pk])
    response = client.post(test_url, follow=True)
    assert "keine E-Mail-Adresse" in response.content.decode()
    other = letter(areas[1], subject="Süden")
    assert client.post(
        reverse("admin:participation_newsletter_test", args=[other.pk])
    ).status_code in (403, 404)
    assert mail.outbox == []
    assert Newsletter.objects.filter(sent_at__isnull=False).count() == 0
