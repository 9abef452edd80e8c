"""The Quartiersbrief: write, preview, send once to each follower through the queue (with the
one-click unsubscribe), the public archive, and the printable notice with its QR code."""

import pytest
from django.core import mail
from django.urls import reverse

from participation.newsletter import services
from participation.newsletter.models import Newsletter
from participation.subscriptions import services as subscription_services
from participation.subscriptions.models import Frequency
from tests.factories import make_area, make_coordination, make_manager, make_user, square

from .helpers import point, two_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return two_areas()


@pytest.fixture
def manager(areas):
    return make_manager(areas[0], username="qm-nord")


def follow(area=None, *, user=None, **extra):
    return subscription_services.subscription_create(
        user=user or make_user(), area=area, frequency=Frequency.WEEKLY, **extra
    )


def letter(area, **extra):
    return Newsletter.objects.create(
        area=area,
        subject=extra.get("subject", "Sommerfest am Markt"),
        body="Kommt alle!\n\nAm 5. Juli.",
    )


def test_sent_exactly_once_to_each_follower_of_the_area(areas, manager, on_commit):
    north, south = areas
    child = make_area("Nord-West", parent=north, boundary=square(7.455, 51.505, 0.004))
    person = make_user("doppelt")
    first = follow(north, user=person)
    follow(child, user=person)  # follows twice: one mail
    below = follow(child)
    place = follow(location=point(7.463, 51.513), radius_m=500)
    follow(south)
    newsletter = letter(north)
    with on_commit():
        services.newsletter_send(newsletter=newsletter, by=manager)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([first.recipient, below.recipient, place.recipient])
    message = mail.outbox[0]
    assert "Kommt alle!" in message.body and "Sommerfest am Markt" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/benachrichtigungen/abbestellen/" in message.body
    # A second send (double click, second worker) sends nothing more.
    with pytest.raises(Exception, match="bereits versendet"):
        services.newsletter_send(newsletter=newsletter, by=manager)
    with on_commit():
        services.newsletter_deliver(newsletter_id=newsletter.pk)
    assert len(mail.outbox) == 3
    assert Newsletter.objects.get().recipients == 3


def test_city_wide_letters_are_for_coordination_and_reach_everyone(areas, manager, on_commit):
    follow(areas[0])
    follow(areas[1])
    newsletter = letter(None)
    with pytest.raises(Exception, match="nicht zuständig"):
        services.newsletter_send(newsletter=newsletter, by=manager)
    with on_commit():
        services.newsletter_send(newsletter=newsletter, by=make_coordination("koordination"))
    assert len(mail.outbox) == 2


def test_admin_write_preview_and_send(client, areas, manager, requests_commit):
    follow(areas[0])
    client.force_login(manager)
    response = client.post(
        reverse("admin:participation_newsletter_add"),
        {"area": areas[0].pk, "subject": "Baustelle", "body": "Ab Montag gesperrt."},
    )
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    page = client.get(reverse("admin:participation_newsletter_change", args=[newsletter.pk]))
    content = page.content.decode()
    assert "Vorschau" in content and "Ab Montag gesperrt." in content and "An 1 Person" in content
    confirm = client.get(reverse("admin:participation_newsletter_send", args=[newsletter.pk]))
    assert "Jetzt versenden" in confirm.content.decode()
    assert mail.outbox == []
    client.post(reverse("admin:participation_newsletter_send", args=[newsletter.pk]))
    client.post(reverse("admin:participation_newsletter_send", args=[newsletter.pk]))
    assert len(mail.outbox) == 1
    # sent letters stay as they were
    edit = client.post(
        reverse("admin:participation_newsletter_change", args=[newsletter.pk]),
        {"area": areas[0].pk, "subject": "Anders", "body": "Anders"},
    )
    assert edit.status_code == 403
    assert Newsletter.objects.get().subject == "Baustelle"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "A\r\nBcc: x@example.org", "body": "x"}, "nur eine Zeile"),
        ({"subject": "Hallo", "body": "x\x07"}, "Steuerzeichen"),
        ({"subject": "x" * 161, "body": "x"}, "höchstens 160 Zeichen"),
        ({"subject": "Hallo", "body": ""}, "zwingend erforderlich"),
    ],
)
def test_hostile_letters_get_form_errors(client, areas, manager, data, message):
    client.force_login(manager)
    response = client.post(
        reverse("admin:participation_newsletter_add"), {"area": areas[0].pk, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Newsletter.objects.count() == 0


def test_managers_cannot_write_to_the_city_or_other_areas(client, areas, manager):
    client.force_login(manager)
    for area in ("", areas[1].pk):
        response = client.post(
            reverse("admin:participation_newsletter_add"),
            {"area": area, "subject": "Hallo", "body": "Text"},
        )
        assert response.status_code == 200
    assert Newsletter.objects.count() == 0
    other = letter(areas[1])
    assert (
        client.post(reverse("admin:participation_newsletter_send", args=[other.pk])).status_code
        == 404
    )


def test_archive_on_the_area_page_and_the_public_letter(client, areas, manager, on_commit):
    north, south = areas
    sent, draft, elsewhere = (
        letter(north),
        letter(north, subject="Entwurf"),
        letter(south, subject="Süd"),
    )
    services.newsletter_send(newsletter=sent, by=manager)
    services.newsletter_send(newsletter=elsewhere, by=make_coordination("koordination"))
    page = client.get(north.get_absolute_url()).content.decode()
    assert "Sommerfest am Markt" in page and "Entwurf" not in page and "Süd" not in page
    assert client.get(sent.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_notice_is_printable_with_a_qr_code(client, areas, manager):
    newsletter = letter(areas[0])
    services.newsletter_send(newsletter=newsletter, by=manager)
    page = client.get(reverse("participation:newsletter-notice", args=[newsletter.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img"' in content and "QR-Code" in content
    assert "css/notice.css" in content
