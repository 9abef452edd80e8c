"""Importing the partners' calendars and moderating their events.

`feeds_import()` (the periodic job and `manage.py import_partner_calendars`) reads every
approved, active feed on its own: a broken or hostile feed is recorded on the feed, reported
to the partner by mail (once per new error), and never stops the others. Events are matched
by UID: new ones added, changed ones updated, those gone from the feed cancelled. Recurring
events are stored once per date within about twelve months (`recurrence`: bounded, and rules
that could run away keep their first date only)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neighbourhoods.permissions import is_area_staff
from quartier.languages import mail_language
from quartier.mail import queue_portal_mail
from quartier.text import clean_line, clean_text

from ..models import ContactPerson
from ..permissions import may_edit_partner_entry, partners_managed_by
from . import recurrence
from .fetch import FeedError, fetch
from .models import CalendarFeed, EventStatus, PartnerEvent

logger = logging.getLogger(__name__)

MAX_EVENTS = 500  # VEVENTs read per feed
PAST = datetime.timedelta(days=1)
FUTURE = datetime.timedelta(days=400)


def _text(value, limit, *, line=True):
    text = strip_tags(str(value or ""))
    text = clean_line(text) if line else clean_text(text).strip()
    return text[:limit]


def _moment(value, *, end=False):
    """An aware datetime from a DTSTART/DTEND value (dates: local midnight)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
    raise ValueError("no date")


def _fields(component):
    """The event's texts, times and status; None when it has no usable date or title."""
    try:
        starts_at = _moment(component.decoded("DTSTART"))
        if component.get("DTEND") is not None:
            ends_at = _moment(component.decoded("DTEND"))
        elif component.get("DURATION") is not None:
            ends_at = starts_at + component.decoded("DURATION")
        else:
            ends_at = starts_at + datetime.timedelta(hours=1)
    except Exception:  # a broken date: skip this event, not the feed
        return None
    if ends_at <= starts_at:
        ends_at = starts_at + datetime.timedelta(hours=1)
    title = _text(component.get("SUMMARY"), 160)
    if not title:
        return None
    return {
        "title": title,
        "text": _text(component.get("DESCRIPTION"), 2000, line=False),
        "place": _text(component.get("LOCATION"), 255),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "cancelled": str(component.get("STATUS", "")).upper() == "CANCELLED",
    }


def _occurrence_uid(uid, moment):
    """One stored event per date of a recurring event: the UID and the date's UTC time."""
    return f"{uid[:230]}#{moment.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"


def _expand(component, item, overrides, *, now):
    """The dates of a recurring event within the window (see `recurrence`), each with its
    own UID; an override (RECURRENCE-ID) replaces its date. [item] when not expanded."""
    rule = component.get("RRULE")
    if isinstance(rule, list):
        rule = rule[0] if rule else None
    if rule is None:
        return [item]
    start = component.decoded("DTSTART")
    try:
        dates = recurrence.occurrences(
            rule,
            recurrence._as_datetime(start),
            window_start=now - PAST,
            window_end=now + recurrence.HORIZON,
            excluded=recurrence.excluded_dates(component),
        )
    except recurrence.NotExpanded:
        return [item]
    duration = item["ends_at"] - item["starts_at"]
    events = []
    for moment in dates:
        starts_at = _moment(moment if isinstance(start, datetime.datetime) else moment.date())
        override = overrides.get((item["uid"], starts_at))
        occurrence = override or {**item, "starts_at": starts_at, "ends_at": starts_at + duration}
        events.append({**occurrence, "uid": _occurrence_uid(item["uid"], starts_at)})
    return events


def parse(data):
    """[{uid, title, text, place, starts_at, ends_at, cancelled}] of the feed's events in the
    window from yesterday to about a year ahead, recurring ones expanded into their dates
    (`recurrence`); FeedError for what is not a calendar."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError and others on garbage
        raise FeedError(_("Die Datei ist kein gültiger iCalendar-Kalender.")) from error
    if calendar.name != "VCALENDAR":
        raise FeedError(_("Die Datei ist kein gültiger iCalendar-Kalender."))
    now = timezone.now()
    masters, overrides = [], {}
    for number, component in enumerate(calendar.walk("VEVENT")):
        if number >= MAX_EVENTS:
            break
        uid = _text(component.get("UID"), 255)
        if not uid:
            continue
        if component.get("RECURRENCE-ID") is None:
            masters.append((uid, component))
            continue
        item = _fields(component)
        try:
            replaced = _moment(component.decoded("RECURRENCE-ID"))
        except Exception:  # a broken RECURRENCE-ID: the date stays as the rule has it
            logger.info("calendar import: override of %r without a usable date skipped", uid)
        else:
            if item is not None:
                overrides[(uid, replaced)] = {**item, "uid": uid}
    events, seen = [], set()
    for uid, component in masters:
        if uid in seen:
            continue
        item = _fields(component)
        if item is None:
            logger.info("calendar import: event %r without a usable date or title", uid)
            continue
        seen.add(uid)
        for event in _expand(component, {**item, "uid": uid}, overrides, now=now):
            if event["ends_at"] < now - PAST or event["starts_at"] > now + FUTURE:
                continue
            events.append(event)
            if len(events) >= MAX_EVENTS:
                return events
    return events


@transaction.atomic
def feed_store(*, feed, events):
    """Bring the feed's events in line with `events`; returns (new, changed, cancelled)."""
    known = {event.uid: event for event in PartnerEvent.objects.filter(feed=feed)}
    new = changed = 0
    fields = ["title", "text", "place", "starts_at", "ends_at"]
    for item in events:
        status = EventStatus.CANCELLED if item["cancelled"] else EventStatus.APPROVED
        event = known.pop(item["uid"], None)
        if event is None:
            PartnerEvent.objects.create(
                partner=feed.partner,
                feed=feed,
                uid=item["uid"],
                status=status,
                **{name: item[name] for name in fields},
            )
            new += 1
            continue
        if event.status == EventStatus.REJECTED:
            continue  # staff hid it: it stays hidden
        if any(getattr(event, name) != item[name] for name in fields) or event.status != status:
            for name in fields:
                setattr(event, name, item[name])
            event.status = status
            event.save()
            changed += 1
    gone = [
        event.pk
        for event in known.values()
        if event.ends_at >= timezone.now() and event.status == EventStatus.APPROVED
    ]
    PartnerEvent.objects.filter(pk__in=gone).update(status=EventStatus.CANCELLED)
    return new, changed, len(gone)


def _report_error(feed, message):
    """Record the error; mail the partner when it is new (not on every run)."""
    new = message != feed.last_error
    feed.last_error = message[:500]
    if new or feed.last_error_at is None:
        feed.last_error_at = timezone.now()
    feed.save(update_fields=["last_error", "last_error_at"])
    if not new:
        return
    # the contacts' accounts in their languages; the partner's own address in German
    addresses = {feed.partner.email: settings.LANGUAGE_CODE} if feed.partner.email else {}
    for address, language in (
        ContactPerson.objects.filter(partner=feed.partner, user__isnull=False)
        .exclude(user__email="")
        .values_list("user__email", "user__language")
    ):
        addresses[address] = mail_language(fallback=language)
    for address, language in sorted(addresses.items()):
        queue_portal_mail(
            to=address,
            key=f"calendar-error:{feed.pk}:{feed.last_error_at.isoformat()}:{address.lower()}",
            subject=gettext_lazy("Ihr Kalender konnte nicht eingelesen werden"),
            template="mail/network/calendar_error.txt",
            context={"feed": feed, "error": message},
            language=language,
        )


def feed_import(*, feed):
    """Import one feed; returns (new, changed, cancelled) or None when it failed."""
    try:
        events = parse(fetch(feed.url))
    except FeedError as error:
        with transaction.atomic():
            _report_error(feed, str(error))
        return None
    result = feed_store(feed=feed, events=events)
    CalendarFeed.objects.filter(pk=feed.pk).update(
        last_import_at=timezone.now(), last_error="", last_error_at=None
    )
    return result


def feeds_import():
    """Every approved, active feed, each on its own. Returns {feed pk: result or None}."""
    results = {}
    feeds = CalendarFeed.objects.filter(approved_at__isnull=False, is_active=True).select_related(
        "partner"
    )
    for feed in feeds:
        try:
            results[feed.pk] = feed_import(feed=feed)
        except Exception:  # never let one feed stop the others
            logger.exception("calendar import: feed %s failed", feed.pk)
            results[feed.pk] = None
    return results


# --- partner accounts and moderation ---------------------------------------------------------


def ensure_partner_account(*, user, partner):
    if not may_edit_partner_entry(user, partner):
        raise PermissionDenied


@transaction.atomic
def partner_event_submit(*, partner, by, title, text, place, starts_at, ends_at):
    """A partner account posts an event; it waits for the quarter team's approval."""
    ensure_partner_account(user=by, partner=partner)
    event = PartnerEvent(
        partner=partner,
        title=title,
        text=text,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        status=EventStatus.PENDING,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def calendar_feed_register(*, partner, by, url):
    """A partner account registers its calendar; staff approve it before the first import."""
    ensure_partner_account(user=by, partner=partner)
    feed = CalendarFeed(partner=partner, url=url)
    feed.full_clean()
    feed.save()
    return feed


def _ensure_staff_for(user, partner):
    if not is_area_staff(user) or not partners_managed_by(user).filter(pk=partner.pk).exists():
        raise PermissionDenied


@transaction.atomic
def partner_event_decide(*, event, by, approve):
    _ensure_staff_for(by, event.partner)
    if event.status != EventStatus.PENDING:
        raise ValidationError(_("Über diesen Termin ist bereits entschieden."))
    event.status = EventStatus.APPROVED if approve else EventStatus.REJECTED
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def calendar_feed_approve(*, feed, by):
    _ensure_staff_for(by, feed.partner)
    feed.approved_at = timezone.now()
    feed.save(update_fields=["approved_at"])
    return feed
