"""Factories for the meetings and feedback tests."""

import datetime
import itertools

from django.utils import timezone

from participation.meetings.models import Meeting

_counter = itertools.count(1)


def make_meeting(area, *, days=7, hours=2, **extra):
    starts = timezone.now() + datetime.timedelta(days=days)
    defaults = {
        "title": f"Treffen {next(_counter)}",
        "address": "Nachbarschaftszentrum, Hauptstraße 1",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "location": {"type": "Point", "coordinates": [7.405, 51.405]},
    }
    defaults.update(extra)
    return Meeting.objects.create(area=area, **defaults)
