"""Reads of the mood barometer: averages per group of areas and quarter-year, only with
`MOOD_MIN_ANSWERS` answers or more. One aggregate query feeds every group, and averages are
computed the same way (sum / count) as `MoodAnswerQuerySet.quarterly()`, so a figure on
/stimmung/, the area page and "Meine Beiträge" is the same figure."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree

from ..summaries.selectors import mood_per_area
from .models import min_answers

CITY = "city"


@dataclass(frozen=True)
class Period:
    """A quarter-year (Vierteljahr)."""

    year: int
    quarter: int

    @classmethod
    def of(cls, day):
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls):
        return cls.of(timezone.localdate())

    @property
    def previous(self):
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    @property
    def first_day(self):
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def label(self):
        return _("%(quarter)s. Quartal %(year)s") % {"quarter": self.quarter, "year": self.year}


@dataclass(frozen=True)
class Figure:
    """The answers of a group of areas in one quarter-year; an average only with enough."""

    period: Period
    count: int = 0
    total: int = 0

    @property
    def enough(self):
        return self.count >= min_answers()

    @property
    def average(self):
        return self.total / self.count if self.enough else None


def mood_figures(groups, periods):
    """{group key: {period: Figure}} for `groups` ({key: area ids}) and the city as a whole
    (key `CITY`: every answer), for the given periods — one query."""
    since = min(period.first_day for period in periods)
    rows = mood_per_area(since)  # the summary rows: a few per area and month
    sums = {}
    owners = {}
    for key, ids in groups.items():
        for area_id in ids:
            owners.setdefault(area_id, []).append(key)
    for row in rows:
        period = Period(row["year"], row["quarter"])
        if period not in periods:
            continue
        for key in [CITY, *owners.get(row["area_id"], ())]:
            count, total = sums.get((key, period), (0, 0))
            sums[(key, period)] = (count + row["count"], total + row["total"])
    return {
        key: {period: Figure(period, *sums.get((key, period), (0, 0))) for period in periods}
        for key in [CITY, *groups]
    }


def mood_picture():
    """The current picture per quarter (incl. its sub-areas) and for the city: this and the
    previous quarter-year. Three queries whatever the number of areas and answers."""
    now = Period.current()
    periods = (now, now.previous)
    quarters = list(Area.objects.current().quarters().order_by("name"))
    tree = area_tree()
    ids = {
        quarter.pk: sorted(tree.descendant_ids(quarter, with_successors=False))
        for quarter in quarters
    }
    figures = mood_figures(ids, periods)
    rows = [
        {
            "area": quarter,
            "now": figures[quarter.pk][now],
            "before": figures[quarter.pk][now.previous],
        }
        for quarter in quarters
    ]
    city = {"now": figures[CITY][now], "before": figures[CITY][now.previous]}
    return {"period": now, "previous": now.previous, "rows": rows, "city": city}


def mood_result(area):
    """What an answer gives back: the area's (incl. sub-areas) and the city's figures for
    this and the previous quarter-year."""
    now = Period.current()
    periods = (now, now.previous)
    ids = sorted(area_tree().descendant_ids(area, with_successors=False))
    figures = mood_figures({area.pk: ids}, periods)
    return {
        "area": area,
        "period": now,
        "previous": now.previous,
        "area_now": figures[area.pk][now],
        "area_before": figures[area.pk][now.previous],
        "city_now": figures[CITY][now],
        "city_before": figures[CITY][now.previous],
        "min_answers": min_answers(),
    }
