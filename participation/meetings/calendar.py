"""iCalendar (RFC 5545) for meetings: UID, DTSTAMP and times in Europe/Berlin with VTIMEZONE.

Texts go out through quartier.text: a control character or a line break in a title, an address
or an area name (old rows, imports) would make the file invalid or the view fail."""

import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from neighbourhoods.geometry import point_lng_lat
from quartier.mail import absolute_url
from quartier.text import clean_line, clean_text


def _uid(meeting):
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "quartier"
    return f"meeting-{meeting.pk}@{host}"


def meetings_calendar(meetings, *, name=None):
    """The meetings as an iCalendar file (bytes)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", f"-//Quartier {settings.CITY_NAME}//Treffen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", clean_line(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", _uid(meeting))
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        event.add("dtend", meeting.ends_at.astimezone(tz))
        event.add("summary", clean_line(meeting.title))
        if meeting.text:
            event.add("description", "\n".join(clean_text(meeting.text).splitlines()))
        event.add("location", vText(clean_line(meeting.address)))
        event.add("url", absolute_url(meeting.get_absolute_url()))
        event.add("last-modified", meeting.updated_at or now)
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        position = point_lng_lat(meeting.location)
        if position is not None:
            lng, lat = position
            event.add("geo", (lat, lng))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
