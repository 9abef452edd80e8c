"""Recurring events of an imported feed, expanded into their dates within a bounded window.

A feed is untrusted: an endless or contradictory rule (`FREQ=SECONDLY`, "every 30 February")
must neither hang the import nor flood the calendar. So only the rules people use for events
are expanded — FREQ DAILY, WEEKLY, MONTHLY or YEARLY with INTERVAL, COUNT, UNTIL, BYDAY,
BYMONTHDAY, BYMONTH, WKST, in combinations whose dates `dateutil` finds without searching
through the centuries — at most `MAX_OCCURRENCES` dates within the window. Any other rule
leaves the event with its first date only. EXDATE removes dates; an event with the same UID
and a RECURRENCE-ID replaces one date (moved, renamed or cancelled).
"""

import datetime

from dateutil import rrule
from django.utils import timezone

MAX_OCCURRENCES = 60  # dates per recurring event
HORIZON = datetime.timedelta(days=366)  # expanded up to about twelve months ahead
EXPANDED = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
OLDEST_START = datetime.date(1970, 1, 1)
STEP = {"DAILY": datetime.timedelta(days=1), "WEEKLY": datetime.timedelta(days=7)}


class NotExpanded(Exception):
    """The rule is not one we expand: the event keeps its first date."""


def _as_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min)


def _like(value, reference):
    """`value` (a date or datetime) made comparable with the datetime `reference`."""
    value = _as_datetime(value)
    if reference.tzinfo is None and value.tzinfo is not None:
        return timezone.make_naive(value)  # floating times are the portal's local time
    if reference.tzinfo is not None and value.tzinfo is None:
        return value.replace(tzinfo=reference.tzinfo)
    return value


def _check(parts):
    """Refuse rules that could make dateutil search for a long time or return floods."""
    names = set(parts)
    freq = "".join(str(value) for value in parts.get("FREQ", []))
    if not names <= PARTS or freq not in EXPANDED:
        raise NotExpanded
    if "BYDAY" in names and "BYMONTHDAY" in names:
        raise NotExpanded  # "Friday the 31st" style rules may never match
    if "BYMONTH" in names and freq != "YEARLY":
        raise NotExpanded
    if "BYMONTHDAY" in names and freq not in {"MONTHLY", "YEARLY"}:
        raise NotExpanded
    interval = parts.get("INTERVAL", [1])[0]
    if not isinstance(interval, int) or not 1 <= interval <= 1000:
        raise NotExpanded
    return freq, interval


def occurrences(rule, start, *, window_start, window_end, excluded=()):
    """The starts (like `start`, a datetime) of `rule` (an icalendar vRecur) from `start`
    that lie in [window_start, window_end), at most MAX_OCCURRENCES; `NotExpanded` for a rule
    we do not expand."""
    try:
        freq, interval = _check(rule)
        text = rule.to_ical().decode("ascii", "replace")
        until = rule.get("UNTIL")
    except NotExpanded:
        raise
    except Exception as error:  # icalendar's broken properties raise on any access
        raise NotExpanded from error
    if start.date() < OLDEST_START:
        raise NotExpanded
    window_start, window_end = _like(window_start, start), _like(window_end, start)
    parts = [part for part in text.split(";") if not part.upper().startswith("UNTIL=")]
    if until:
        parts = [part for part in parts if not part.upper().startswith("COUNT=")]
    if until is None and "COUNT" not in rule and freq in STEP:
        # Without COUNT the dates repeat every `step`: start close to the window (exactly
        # on the rule's rhythm) instead of walking through the years before it.
        step = STEP[freq] * interval
        if start < window_start - step:
            start += step * ((window_start - start) // step - 1)
    try:
        parsed = rrule.rrulestr(";".join(parts), dtstart=start, ignoretz=False)
        if until:
            parsed = parsed.replace(until=_like(until[0], start))
    except (ValueError, TypeError, OverflowError) as error:
        raise NotExpanded from error
    excluded = {_like(value, start) for value in excluded}
    found = []
    for moment in parsed.xafter(window_start, inc=True):
        if moment >= window_end or len(found) >= MAX_OCCURRENCES:
            break
        if moment not in excluded:
            found.append(moment)
    return found


def excluded_dates(component):
    """The EXDATE values of a VEVENT (one property or several)."""
    values = component.get("EXDATE")
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    return [item.dt for value in values for item in getattr(value, "dts", [])]
