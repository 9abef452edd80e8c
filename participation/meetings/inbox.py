"""This week's meetings with their registrations, for the back office's inbox
(neighbourhoods.inbox)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from participation.ideas.inbox import changelist, per_area

from .models import Meeting


def this_week(now=None):
    """Monday 00:00 of this week and of the next (local time)."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    return start, start + datetime.timedelta(days=7)


def in_this_week(meetings):
    """The meetings of this week that take place (not cancelled)."""
    start, end = this_week()
    return meetings.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=Meeting.Status.CANCELLED
    )


def _week_meetings(area_ids):
    meetings = in_this_week(Meeting.objects.all())
    return meetings if area_ids is None else meetings.filter(area_id__in=area_ids)


def week(area_ids):
    return per_area(_week_meetings(area_ids), since="starts_at")


def week_link(area_id):
    return changelist("meeting", area_id, woche="diese")


def week_details(area_ids):
    """Each meeting of the week with its registrations and waiting list, one query."""
    details = {}
    meetings = _week_meetings(area_ids).with_counts().order_by("starts_at", "pk")
    for meeting in meetings:
        if meeting.capacity:
            places = _("%(people)d von %(capacity)d Plätzen belegt") % {
                "people": meeting.confirmed_people,
                "capacity": meeting.capacity,
            }
        else:
            places = _("%(people)d angemeldet") % {"people": meeting.confirmed_people}
        starts = date_format(timezone.localtime(meeting.starts_at), "D d.m. H:i")
        text = f"{starts} · {meeting.title} · {places}"
        if meeting.waiting_people:
            text += " · " + _("%(people)d auf der Warteliste") % {"people": meeting.waiting_people}
        url = reverse("admin:participation_meeting_change", args=[meeting.pk])
        details.setdefault(meeting.area_id, []).append((text, url))
    return details
