"""Mails sent later — by the task worker, a periodic job or staff acting in their own language —
go out in the recipient's language: their account's, else the one of the page they signed up
on; offices get German. Each test acts in English (a member of staff reading the admin in
English, or a worker) so that only the recipient's language can explain the mail's."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.funds import services as fund_services
from participation.ideas.models import Support
from participation.measures import services as measure_services
from participation.measures.models import Measure, MeasureStatus
from participation.meetings import services as meeting_services
from participation.meetings.models import Registration
from participation.newsletter import services as newsletter_services
from participation.offices import services as office_services
from participation.offices.models import Forwarding, Office
from participation.subscriptions import services as subscription_services
from participation.subscriptions.models import Frequency
from tests.factories import make_manager, make_user

from .fund_factories import make_checked, make_fund
from .helpers import make_idea, two_areas
from .meeting_factories import make_meeting
from .test_newsletter import letter

pytestmark = pytest.mark.django_db


def subject_in(language, msgid, **args):
    """The subject line `msgid` as the catalog of `language` words it."""
    with translation.override(language):
        return gettext(msgid) % args if args else gettext(msgid)


def mail_to(address):
    [message] = [message for message in mail.outbox if message.to == [address]]
    return message


def assert_written_in(message, language, msgid, **args):
    expected = subject_in(language, msgid, **args)
    if language != "de":
        assert expected != subject_in("de", msgid, **args)  # the catalog has it
    assert message.subject.endswith(expected), (message.subject, expected)
    assert message.extra_headers["Content-Language"] == language


@pytest.fixture
def areas():
    return two_areas()


# --- meetings ------------------------------------------------------------------------------


def test_registration_mails_follow_the_page_and_later_the_account(areas, on_commit):
    meeting = make_meeting(areas[0], title="Stadtteilfest", capacity=2)
    with translation.override("tr"), on_commit():
        visitor = meeting_services.registration_create(
            meeting=meeting, name="Ayşe", email="ayse@example.org"
        )
    assert visitor.language == "tr"
    assert_written_in(
        mail_to("ayse@example.org"), "tr", "Ihre Anmeldung: %(title)s", title=meeting.title
    )

    olena = make_user("olena", language="uk")
    with translation.override("de"), on_commit():
        # signed up on a German page, but her account reads Ukrainian
        meeting_services.registration_create(
            meeting=meeting, name="Olena", email="olena@example.org", user=olena
        )
        waiting = meeting_services.registration_create(
            meeting=meeting, name="Hans", email="hans@example.org"
        )
    assert waiting.status == Registration.Status.WAITING
    assert_written_in(
        mail_to("olena@example.org"), "uk", "Ihre Anmeldung: %(title)s", title=meeting.title
    )
    assert_written_in(
        mail_to("hans@example.org"), "de", "Warteliste: %(title)s", title=meeting.title
    )

    mail.outbox.clear()
    with translation.override("en"), on_commit():
        # staff cancel Ayşe's place in the English admin: Hans moves up, told in German
        meeting_services.registration_set_status(
            registration=visitor, status=Registration.Status.CANCELLED
        )
    assert_written_in(
        mail_to("hans@example.org"),
        "de",
        "Ein Platz ist frei geworden: %(title)s",
        title=meeting.title,
    )


def test_a_cancelled_meeting_is_announced_to_each_in_their_language(areas, on_commit):
    meeting = make_meeting(areas[0], title="Nachbarschaftscafé")
    with translation.override("tr"):
        meeting_services.registration_create(meeting=meeting, name="Ayşe", email="ayse@example.org")
    with translation.override("de"):
        meeting_services.registration_create(meeting=meeting, name="Hans", email="hans@example.org")
    mail.outbox.clear()
    with translation.override("en"), on_commit():
        meeting_services.meeting_cancel(meeting=meeting, by=make_manager(areas[0]))
    assert_written_in(mail_to("ayse@example.org"), "tr", "Abgesagt: %(title)s", title=meeting.title)
    assert_written_in(mail_to("hans@example.org"), "de", "Abgesagt: %(title)s", title=meeting.title)


# --- offices -------------------------------------------------------------------------------


def test_offices_get_german_and_the_manager_their_own_language(areas, on_commit):
    office = Office.objects.create(name="Tiefbauamt", email="tiefbau@stadt.example")
    manager = make_manager(areas[0], username="qm-tr")
    manager.language = "tr"
    manager.save()
    idea = make_idea(areas[0], title="Zebrastreifen")
    with translation.override("en"), on_commit():
        forwarding = office_services.forwarding_create(
            idea=idea,
            office=office,
            question="Geht das?",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            by=manager,
        )
    request = mail_to(office.email)
    assert request.subject.endswith("Anfrage zum Beitrag „Zebrastreifen“")  # not English
    assert request.extra_headers["Content-Language"] == "de"

    # the daily job, after the deadline: the office is reminded in German, the manager in Turkish
    Forwarding.objects.filter(pk=forwarding.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    with on_commit():
        assert office_services.forwardings_remind() == 1
    reminder = mail_to(office.email)
    assert reminder.subject.endswith("Erinnerung: Anfrage zum Beitrag „Zebrastreifen“")
    assert reminder.extra_headers["Content-Language"] == "de"
    overdue = mail_to(manager.email)
    assert_written_in(
        overdue,
        "tr",
        "Überfällig: %(office)s zu „%(title)s“",
        office="Tiefbauamt",
        title="Zebrastreifen",
    )
    assert subject_in("tr", "zum Beitrag „%(title)s“", title="Zebrastreifen") in overdue.body

    mail.outbox.clear()
    with translation.override("de"), on_commit():
        office_services.forwarding_answer(forwarding=forwarding, text="Ja.")
    assert_written_in(
        mail_to(manager.email),
        "tr",
        "%(office)s hat geantwortet: „%(title)s“",
        office="Tiefbauamt",
        title="Zebrastreifen",
    )


def test_a_manager_without_a_language_of_their_own_hears_in_german(areas, on_commit):
    office = Office.objects.create(name="Grünflächenamt", email="gruen@stadt.example")
    manager = make_manager(areas[0], username="qm-de")
    forwarding = office_services.forwarding_create(
        idea=make_idea(areas[0], title="Bäume"),
        office=office,
        question="Geht das?",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        by=manager,
    )
    mail.outbox.clear()
    with translation.override("en"), on_commit():
        office_services.forwarding_answer(forwarding=forwarding, text="Ja.")
    assert_written_in(
        mail_to(manager.email),
        "de",
        "%(office)s hat geantwortet: „%(title)s“",
        office="Grünflächenamt",
        title="Bäume",
    )


# --- measures, funds, the newsletter, followers ---------------------------------------------


def test_a_measure_update_reaches_each_supporter_in_their_language(areas, on_commit):
    turkish = make_user("mehmet", language="tr")
    german = make_user("anna")
    idea = make_idea(areas[0], title="Bänke")
    for user in (turkish, german):
        Support.objects.create(idea=idea, user=user, notify=True)
    measure = Measure.objects.create(title="Neue Bänke", summary="Sechs.", area=areas[0])
    measure.ideas.add(idea)
    measure.is_published = True
    measure.save()
    mail.outbox.clear()
    with translation.override("en"), on_commit():  # the job runs after the commit
        measure_services.measure_post_update(
            measure=measure,
            by=make_manager(areas[0]),
            text="Bestellt.",
            status=MeasureStatus.IN_PROGRESS,
            progress=40,
        )
    msgid = "Neues zum Vorhaben „%(title)s“"
    assert_written_in(mail_to(turkish.email), "tr", msgid, title="Neue Bänke")
    assert_written_in(mail_to(german.email), "de", msgid, title="Neue Bänke")


def test_a_written_procedure_asks_each_body_member_in_their_language(on_commit):
    fund = make_fund()
    members = list(fund.body.memberships.select_related("user"))
    members[0].user.language = "tr"
    members[0].user.save()
    application = make_checked(fund, title="Spielplatzfest")
    mail.outbox.clear()
    with translation.override("en"), on_commit():
        fund_services.application_put_before_body(
            application=application,
            by=None,
            written_deadline=timezone.now() + datetime.timedelta(days=3),
        )
    msgid = "Umlaufverfahren: %(title)s"
    assert_written_in(mail_to(members[0].user.email), "tr", msgid, title="Spielplatzfest")
    assert_written_in(mail_to(members[1].user.email), "de", msgid, title="Spielplatzfest")


def test_the_newsletters_test_mail_is_in_the_writers_language(areas, on_commit):
    writer = make_manager(areas[0], username="qm-en")
    writer.language = "tr"
    writer.save()
    newsletter = letter(areas[0])
    with translation.override("de"), on_commit():
        address = newsletter_services.newsletter_send_test(newsletter=newsletter, by=writer)
    message = mail_to(address)
    assert message.extra_headers["Content-Language"] == "tr"
    assert message.subject.endswith("[Test] Sommerfest am Markt")


def test_followers_hear_of_a_new_meeting_in_their_language(areas, on_commit):
    turkish = subscription_services.subscription_create(
        user=make_user("ayse", language="tr"), area=areas[0], frequency=Frequency.IMMEDIATELY
    )
    german = subscription_services.subscription_create(
        user=make_user("hans"), area=areas[0], frequency=Frequency.IMMEDIATELY
    )
    mail.outbox.clear()
    with translation.override("en"), on_commit():
        meeting_services.meeting_create(
            area=areas[0],
            title="Frühjahrsputz",
            address="Markt 1",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
        )
    assert subject_in("tr", "Neues Treffen") != subject_in("de", "Neues Treffen")
    for subscription, language in ((turkish, "tr"), (german, "de")):
        message = mail_to(subscription.recipient)
        assert message.subject.endswith(f"{subject_in(language, 'Neues Treffen')}: Frühjahrsputz")
        assert message.extra_headers["Content-Language"] == language


def test_a_weekly_digest_about_a_place_is_worded_in_the_followers_language(areas, on_commit):
    from participation.subscriptions import notifications

    from .helpers import point

    with translation.override("en"):
        subscription = subscription_services.subscription_create(
            user=make_user("ayse", language="tr"),
            location=point(7.465, 51.515),
            radius_m=1000,
            frequency=Frequency.WEEKLY,
        )
    with on_commit():
        notifications.notify_idea_published(make_idea(areas[0], title="Bank am Teich"))
    mail.outbox.clear()
    with translation.override("en"), on_commit():  # the weekly job
        assert notifications.send_digests() == 1
    target = subject_in("tr", "Umkreis von %(radius)s m um einen Ort", radius=1000)
    assert_written_in(
        mail_to(subscription.recipient), "tr", "Neues aus „%(target)s“", target=target
    )


def test_a_newsletter_goes_to_each_follower_in_their_language(areas, on_commit):
    turkish = subscription_services.subscription_create(
        user=make_user("ayse", language="tr"), area=areas[0], frequency=Frequency.WEEKLY
    )
    german = subscription_services.subscription_create(
        user=make_user("hans"), area=areas[0], frequency=Frequency.WEEKLY
    )
    writer = make_manager(areas[0])
    writer.language = "en"
    writer.save()
    mail.outbox.clear()
    with translation.override("en"), on_commit():
        newsletter_services.newsletter_send(newsletter=letter(areas[0]), by=writer)
    assert mail_to(turkish.recipient).extra_headers["Content-Language"] == "tr"
    assert mail_to(german.recipient).extra_headers["Content-Language"] == "de"
