"""Network mails go out in the recipient's language: a join request's contact hears in the
language of the page they asked on — also when coordination decides in another one — the
coordination's mailbox in German, a calendar error each contact in their account's language."""

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from network import services
from network.calendars import services as calendar_services
from network.calendars.models import CalendarFeed
from network.models import JoinRequest
from tests.factories import make_area, make_coordination, make_user
from tests.network.factories import make_contact, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _coordination_address(settings):
    settings.NETWORK_CONTACT_EMAIL = "koordination@example.org"


def assert_written_in(message, language, msgid):
    with translation.override(language):
        expected = gettext(msgid)
    assert message.subject.endswith(expected), (message.subject, expected)
    assert message.extra_headers["Content-Language"] == language


def mail_to(address):
    [message] = [message for message in mail.outbox if message.to == [address]]
    return message


def submit(email):
    return services.joinrequest_submit(
        organisation_name=f"Verein {email}",
        kind="initiative",
        description="Wir reparieren gemeinsam.",
        contact_name="Kontakt",
        contact_email=email,
        areas=[make_area()],
        consent=True,
    )


def test_a_join_request_is_answered_in_the_language_it_was_made_in(
    django_capture_on_commit_callbacks,
):
    with translation.override("tr"), django_capture_on_commit_callbacks(execute=True):
        join_request = submit("mehmet@example.org")
    assert join_request.language == "tr"
    assert_written_in(
        mail_to("mehmet@example.org"), "tr", "Ihre Anfrage an das Netzwerk ist angekommen"
    )
    assert_written_in(
        mail_to("koordination@example.org"), "de", "Neue Anfrage zur Aufnahme ins Netzwerk"
    )
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.joinrequest_accept(join_request=join_request, by=make_coordination())
    assert_written_in(mail_to("mehmet@example.org"), "tr", "Willkommen im Netzwerk")


def test_a_decline_goes_out_in_german_to_a_request_made_in_german(
    django_capture_on_commit_callbacks,
):
    with translation.override("de"):
        join_request = submit("hans@example.org")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.joinrequest_decline(
            join_request=join_request, by=make_coordination(), reason="Kein Bezug."
        )
    assert_written_in(mail_to("hans@example.org"), "de", "Ihre Anfrage an das Netzwerk")


def test_older_join_requests_count_as_german():
    assert JoinRequest._meta.get_field("language").default == "de"


def test_a_calendar_error_reaches_each_contact_in_their_language(
    django_capture_on_commit_callbacks,
):
    partner = make_partner("Moscheegemeinde", email="info@moschee.example")
    make_contact(partner, user=make_user("emre", language="tr"))
    make_contact(partner, user=make_user("jana"))
    feed = CalendarFeed.objects.create(
        partner=partner, url="http://127.0.0.1/kalender.ics", approved_at=timezone.now()
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert calendar_services.feed_import(feed=feed) is None  # an internal address
    msgid = "Ihr Kalender konnte nicht eingelesen werden"
    assert_written_in(mail_to("emre@example.org"), "tr", msgid)
    assert_written_in(mail_to("jana@example.org"), "de", msgid)
    assert_written_in(mail_to("info@moschee.example"), "de", msgid)
