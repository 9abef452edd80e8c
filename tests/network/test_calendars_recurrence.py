"""Recurring events in partners' feeds, served by the local HTTP server: expanded into their
dates for about twelve months (at most 60 per event), exceptions and moved dates honoured,
a changed rule updates the stored dates, and rules that could run away keep one date."""

import datetime

import pytest
from django.utils import timezone

from network.calendars import recurrence, services
from network.calendars.models import EventStatus, PartnerEvent

from .test_calendars import approved_feed

pytestmark = pytest.mark.django_db


def stamp(moment):
    """`;TZID=…:` and the local time, as calendar programs write it."""
    moment = timezone.localtime(moment)
    return f";TZID={moment.tzinfo.key}:{moment:%Y%m%dT%H%M%S}"


def event(uid, start, summary, *lines, hours=2):
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART{stamp(start)}",
            f"DTEND{stamp(start + datetime.timedelta(hours=hours))}",
            f"SUMMARY:{summary}",
            *lines,
            "END:VEVENT",
        ]
    )


def calendar(*events):
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//DE", *events])
    return (body + "\r\nEND:VCALENDAR\r\n").encode()


@pytest.fixture
def first():
    """A weekly event that began ten weeks ago, at 16:00 local time."""
    today = timezone.localdate() - datetime.timedelta(weeks=10)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(16)))


def weekly_feed(first, *extra_lines, moved_to=None):
    skipped = first + datetime.timedelta(weeks=12)  # two weeks from now
    moved = first + datetime.timedelta(weeks=13)
    events = [
        event(
            "cafe@familienzentrum.example",
            first,
            "Elterncafé",
            "RRULE:FREQ=WEEKLY",
            f"EXDATE{stamp(skipped)}",
            *extra_lines,
        ),
        event(
            "cafe@familienzentrum.example",
            moved_to or moved + datetime.timedelta(days=1),
            "Elterncafé (am Mittwoch)",
            f"RECURRENCE-ID{stamp(moved)}",
        ),
    ]
    return calendar(*events), skipped, moved


def cafe_dates(**filters):
    return list(
        PartnerEvent.objects.filter(uid__startswith="cafe@", **filters)
        .order_by("starts_at")
        .values_list("starts_at", "title")
    )


def test_weekly_event_is_expanded_for_a_year_with_exceptions_and_a_moved_date(
    server, partner, first
):
    body, skipped, moved = weekly_feed(first)
    server.serve("/kalender.ics", body)
    feed = approved_feed(partner, server.url("/kalender.ics"))
    new, changed, cancelled = services.feed_import(feed=feed)
    dates = cafe_dates()
    assert new == len(dates) and (changed, cancelled) == (0, 0)
    now = timezone.now()
    assert 50 <= len(dates) <= 53  # about a year of Tuesdays (or whichever day), from today
    assert all(now - datetime.timedelta(days=1) <= start for start, _title in dates)
    assert all(start <= now + datetime.timedelta(days=367) for start, _title in dates)
    starts = [start for start, _title in dates]
    assert skipped not in starts  # EXDATE
    assert (
        moved not in starts
        and (moved + datetime.timedelta(days=1), "Elterncafé (am Mittwoch)") in dates
    )
    # every date keeps the local time of day across daylight saving changes
    assert {timezone.localtime(start).hour for start in starts} == {16}
    assert len(set(PartnerEvent.objects.values_list("uid", flat=True))) == len(dates)
    # importing the same feed again changes nothing
    assert services.feed_import(feed=feed) == (0, 0, 0)


def test_a_rule_that_ends_sooner_cancels_the_later_dates(server, partner, first):
    body, _skipped, _moved = weekly_feed(first)
    server.serve("/kalender.ics", body)
    feed = approved_feed(partner, server.url("/kalender.ics"))
    services.feed_import(feed=feed)
    before = len(cafe_dates())
    until = first + datetime.timedelta(weeks=16)  # six more weeks
    changed_body = weekly_feed(first)[0].replace(
        b"RRULE:FREQ=WEEKLY",
        f"RRULE:FREQ=WEEKLY;UNTIL={until.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}".encode(),
    )
    server.serve("/kalender.ics", changed_body)
    new, changed, cancelled = services.feed_import(feed=feed)
    approved = cafe_dates(status=EventStatus.APPROVED)
    assert new == 0 and changed == 0
    assert cancelled == before - len(approved)
    assert len(approved) == 6  # weeks 10 to 16, less the one left out by EXDATE
    assert max(start for start, _title in approved) <= until


def test_daily_events_are_capped_and_counted_rules_end(server, partner, first):
    server.serve(
        "/kalender.ics",
        calendar(
            event("daily@x.example", first, "Mittagstisch", "RRULE:FREQ=DAILY"),
            event(
                "monthly@x.example",
                first,
                "Nachbarschaftsrat",
                "RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=6",
            ),
        ),
    )
    services.feed_import(feed=approved_feed(partner, server.url("/kalender.ics")))
    assert PartnerEvent.objects.filter(title="Mittagstisch").count() == recurrence.MAX_OCCURRENCES
    monthly = PartnerEvent.objects.filter(title="Nachbarschaftsrat")
    # six first Mondays from ten weeks ago: those still ahead (three or four of them)
    assert 3 <= monthly.count() <= 4
    assert all(timezone.localtime(e.starts_at).weekday() == 0 for e in monthly)
    assert all(timezone.localtime(e.starts_at).day <= 7 for e in monthly)


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=SECONDLY",
        "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "RRULE:FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=31",
        "RRULE:FREQ=WEEKLY;INTERVAL=0",
        "RRULE:FREQ=WEEKLY;BYSETPOS=-1;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;UNTIL=gestern",
        "RRULE:X-ENDLESS=1",
    ],
)
def test_hostile_rules_keep_their_first_date_and_never_stop_the_import(server, partner, rule):
    start = timezone.now() + datetime.timedelta(days=3)
    server.serve(
        "/kalender.ics",
        calendar(
            event("hostile@x.example", start, "Böse Regel", rule),
            event("normal@x.example", start, "Normaler Termin"),
        ),
    )
    result = services.feed_import(feed=approved_feed(partner, server.url("/kalender.ics")))
    assert result is not None
    assert sorted(PartnerEvent.objects.values_list("uid", flat=True)) == [
        "hostile@x.example",
        "normal@x.example",
    ]


def test_a_rule_that_never_matches_yields_no_dates():
    start = timezone.now()
    parsed = services.parse(
        calendar(
            event("feb30@x.example", start, "Nie", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
            event(
                "old@x.example",
                datetime.datetime(1, 1, 2, 10, tzinfo=datetime.UTC),
                "Uralt",
                "RRULE:FREQ=DAILY",
            ),
        )
    )
    assert parsed == []


def test_all_day_recurring_events_and_the_feed_limit(server, partner):
    today = timezone.localdate()
    lines = [
        "BEGIN:VEVENT",
        "UID:markt@x.example",
        f"DTSTART;VALUE=DATE:{today:%Y%m%d}",
        f"DTEND;VALUE=DATE:{today + datetime.timedelta(days=1):%Y%m%d}",
        "RRULE:FREQ=WEEKLY;INTERVAL=2",
        "SUMMARY:Wochenmarkt",
        "END:VEVENT",
    ]
    many = [
        event(f"e{n}@x.example", timezone.now() + datetime.timedelta(days=2), f"Termin {n}")
        for n in range(480)
    ]
    server.serve("/kalender.ics", calendar(*many, "\r\n".join(lines)))
    services.feed_import(feed=approved_feed(partner, server.url("/kalender.ics")))
    market = PartnerEvent.objects.filter(title="Wochenmarkt").order_by("starts_at")
    assert market.count() == 20  # the feed's 500 events at most: 20 market days fit in
    assert timezone.localtime(market[0].starts_at).date() == today
    assert timezone.localtime(market[1].starts_at).date() == today + datetime.timedelta(days=14)
    assert PartnerEvent.objects.count() == services.MAX_EVENTS
