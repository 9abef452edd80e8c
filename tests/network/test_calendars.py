"""Partners' calendars: events posted by partner accounts (moderated), and iCalendar feeds
imported from a local HTTP server serving real .ics files — good, changed and hostile."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from network.calendars import fetch as fetching
from network.calendars import services
from network.calendars.models import CalendarFeed, EventStatus, PartnerEvent
from tests.factories import make_area, make_manager, make_user, square
from tests.network.factories import make_contact, make_partner

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "calendars"
NEXT_YEAR = str(timezone.localdate().year + 1)


def ics(name):
    return (DATA / name).read_bytes().replace(b"@YEAR@", NEXT_YEAR.encode())


def approved_feed(partner, url):
    return CalendarFeed.objects.create(partner=partner, url=url, approved_at=timezone.now())


def titles(**filters):
    return sorted(PartnerEvent.objects.filter(**filters).values_list("title", flat=True))


def test_good_then_changed_feed_is_imported_by_uid(server, partner):
    server.serve("/kalender.ics", ics("good.ics"))
    feed = approved_feed(partner, server.url("/kalender.ics"))
    assert services.feed_import(feed=feed) == (3, 0, 0)
    assert titles(status=EventStatus.APPROVED) == ["Elterncafé", "Kinderflohmarkt", "Sommerfest"]
    flea = PartnerEvent.objects.get(uid="kinderflohmarkt@familienzentrum.example")
    assert flea.place == "Familienzentrum, Nordstr. 5"
    assert timezone.localtime(flea.starts_at).hour == 10
    # the same feed again: nothing new, nothing changed
    assert services.feed_import(feed=feed) == (0, 0, 0)
    # changed: one moved and renamed, one removed (cancelled), one new
    server.serve("/kalender.ics", ics("changed.ics"))
    assert services.feed_import(feed=feed) == (1, 1, 1)
    assert PartnerEvent.objects.get(pk=flea.pk).title == "Kinderflohmarkt (verschoben)"
    assert titles(status=EventStatus.CANCELLED) == ["Elterncafé"]
    assert PartnerEvent.objects.count() == 4


def test_imported_events_appear_in_the_quarters_calendar_with_the_partner(
    client, server, partner, area
):
    server.serve("/kalender.ics", ics("good.ics"))
    services.feed_import(feed=approved_feed(partner, server.url("/kalender.ics")))
    page = client.get(reverse("participation:meeting-list")).content.decode()
    assert "Kinderflohmarkt" in page and "Familienzentrum Nord" in page
    other = make_area("Südstadt", boundary=square(7.46, 51.49))
    elsewhere = client.get(reverse("participation:meeting-list"), {"area": other.pk})
    assert "Kinderflohmarkt" not in elsewhere.content.decode()
    assert "Kinderflohmarkt" in client.get(partner.get_absolute_url()).content.decode()


def test_hostile_texts_lose_their_html_and_endless_rules_stay_one_event(server, partner):
    server.serve("/boese.ics", ics("hostile.ics"))
    services.feed_import(feed=approved_feed(partner, server.url("/boese.ics")))
    event = PartnerEvent.objects.get()
    assert "<" not in event.title + event.text + event.place
    assert event.title == "alert(1)Jeden Tag"
    assert event.place == "Keller"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (lambda s: s.serve("/f.ics", ics("invalid.ics")), "kein gültiger iCalendar"),
        (lambda s: s.serve("/f.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * 1_100_000), "zu groß"),
        (lambda s: s.serve("/f.ics", b"", status=500), "Fehler 500"),
        (
            lambda s: s.serve(
                "/f.ics", b"", status=302, headers={"Location": "http://127.0.0.1:1/x"}
            ),
            "internes Netz",
        ),
        (
            lambda s: s.serve(
                "/f.ics", b"", status=302, headers={"Location": f"http://localhost:{s.port}/ok"}
            ),
            "internes Netz",
        ),
        (
            lambda s: s.serve(
                "/f.ics", b"", status=302, headers={"Location": "file:///etc/passwd"}
            ),
            "http://",
        ),
        (
            lambda s: s.serve("/f.ics", b"", status=302, headers={"Location": "/f.ics"}),
            "Weiterleitungen",
        ),
    ],
)
def test_broken_or_hostile_feeds_are_reported_and_the_others_still_import(
    server, partner, route, message, django_capture_on_commit_callbacks
):
    route(server)
    server.serve("/gut.ics", ics("good.ics"))
    contact = make_contact(partner, user=make_user("kontakt"))
    bad = approved_feed(partner, server.url("/f.ics"))
    other = make_partner("Kirchengemeinde", areas=list(partner.areas.all()))
    approved_feed(other, server.url("/gut.ics"))
    with django_capture_on_commit_callbacks(execute=True):
        results = services.feeds_import()
        services.feeds_import()  # the same error again: no second mail
    assert results[bad.pk] is None
    bad.refresh_from_db()
    assert message in bad.last_error
    assert PartnerEvent.objects.filter(partner=other).count() == 3
    assert PartnerEvent.objects.filter(partner=partner).count() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([partner.email, contact.user.email])
    assert message in mail.outbox[0].body


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x.ics", "http://127.0.0.1/x.ics", "http://[::1]/x.ics", "http://10.1.2.3/"],
)
def test_only_public_http_addresses_are_fetched(url):
    with pytest.raises(fetching.FeedError):
        fetching.fetch(url)


def test_unapproved_feeds_are_not_imported_and_the_command_reports(server, partner):
    server.serve("/kalender.ics", ics("good.ics"))
    CalendarFeed.objects.create(partner=partner, url=server.url("/kalender.ics"))
    out = StringIO()
    call_command("import_partner_calendars", stdout=out)
    assert "0 feed(s)" in out.getvalue()
    CalendarFeed.objects.update(approved_at=timezone.now())
    call_command("import_partner_calendars", stdout=out)
    assert "3 new" in out.getvalue()


def test_import_is_a_registered_periodic_job():
    from quartier.jobs import registered

    assert "partner-calendars" in registered()


@pytest.mark.parametrize("kept_seconds", [0, 300], ids=["fragments off", "fragments on"])
def test_partner_account_posts_an_event_that_waits_for_approval(
    client, partner, area, settings, kept_seconds
):
    """(With fragments on, the meetings page's kept events follow the approval at once.)"""
    settings.FRAGMENT_CACHE_SECONDS = kept_seconds
    user = make_user("kontakt")
    make_contact(partner, user=user)
    client.force_login(user)
    start = timezone.localtime() + datetime.timedelta(days=3)
    response = client.post(
        reverse("network:partner-event-create", kwargs={"slug": partner.slug}),
        {
            "title": "Offener Treff",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Saal",
            "text": "Alle willkommen",
        },
    )
    assert response.status_code == 302
    event = PartnerEvent.objects.get()
    assert event.status == EventStatus.PENDING
    assert "Offener Treff" not in client.get(reverse("participation:meeting-list")).content.decode()
    services.partner_event_decide(event=event, by=make_manager(area), approve=True)
    assert "Offener Treff" in client.get(reverse("participation:meeting-list")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"title": "A\r\nB", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00"},
            "nur eine Zeile",
        ),
        (
            {"title": "Treff", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T09:00"},
            "nach dem Beginn",
        ),
        (
            {"title": "x" * 161, "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00"},
            "höchstens 160",
        ),
    ],
)
def test_hostile_event_input_gets_form_errors(client, partner, data, message):
    user = make_user("kontakt")
    make_contact(partner, user=user)
    client.force_login(user)
    response = client.post(
        reverse("network:partner-event-create", kwargs={"slug": partner.slug}), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PartnerEvent.objects.count() == 0


def test_feed_registration_takes_http_urls_only_and_only_from_the_partners_account(client, partner):
    url = reverse("network:partner-feed-create", kwargs={"slug": partner.slug})
    client.force_login(make_user("fremd"))
    assert client.get(url).status_code == 403
    user = make_user("kontakt")
    make_contact(partner, user=user)
    client.force_login(user)
    bad = client.post(url, {"url": "javascript:alert(1)"})
    assert bad.status_code == 400
    assert CalendarFeed.objects.count() == 0
    good = client.post(url, {"url": "https://kalender.example.org/feed.ics"})
    assert good.status_code == 302
    assert CalendarFeed.objects.get().approved_at is None


def test_managers_of_other_areas_cannot_approve(partner):
    event = PartnerEvent.objects.create(
        partner=partner,
        title="Treff",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=1),
    )
    stranger = make_manager(make_area("Südstadt", boundary=square(7.46, 51.49)))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.partner_event_decide(event=event, by=stranger, approve=True)
