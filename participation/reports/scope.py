"""Which areas a report covers, and how their figures roll up the area tree."""

import datetime
from dataclasses import dataclass, field
from itertools import takewhile

from django.utils import timezone

from neighbourhoods.models import Area
from neighbourhoods.permissions import areas_managed_by, is_coordination
from neighbourhoods.selectors import area_tree


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def start_at(self):
        return _local_midnight(self.start)

    @property
    def end_at(self):
        """The first moment after the period (exclusive bound)."""
        return _local_midnight(self.end + datetime.timedelta(days=1))

    def months(self):
        """The first day of every month in the period, oldest first."""
        result, month = [], self.start.replace(day=1)
        while month <= self.end:
            result.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return result

    def quarters(self):
        """(year, quarter) of every quarter-year in the period, oldest first."""
        result = []
        for month in self.months():
            key = (month.year, (month.month - 1) // 3 + 1)
            if key not in result:
                result.append(key)
        return result


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_period(today=None):
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    return Period(start=start, end=today)


@dataclass
class Scope:
    """The areas of a report. `area_ids` None = the whole city (coordination, all areas).

    `group_of` maps each area id to the area its figures are shown under in per-area tables:
    one level below the chosen area (the chosen area itself for items placed directly on it),
    or the top areas of the scope when no single area is chosen. An area split into successors
    keeps its own history; the successors count for the old area in every total.
    """

    area: Area | None
    area_ids: set | None
    group_of: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # figures shared by several tables of one report

    def group_name(self, area_id):
        group = self.group_of.get(area_id, area_id)
        return self.names.get(group, "")


def visible_areas(user):
    """The areas `user` may report on (all for coordination), current ones first."""
    return areas_managed_by(user).without_geometry().order_by("valid_until", "name")


def build_scope(user, area=None):
    """The scope for `user` and the chosen `area` (None: everything the user may see).

    A fixed number of queries whatever the number of areas: the area names, the area tree's
    version (the tree itself once per change), the user's assignments.
    """
    tree = area_tree()
    names = dict(Area.objects.values_list("pk", "name"))
    if area is not None:
        ids = tree.descendant_ids(area, with_successors=True)
    elif is_coordination(user):
        ids = None
    else:
        ids = set(areas_managed_by(user).values_list("pk", flat=True))
    universe = ids if ids is not None else set(tree.parents)
    group_of = {}
    for pk in universe:
        chain = list(takewhile(universe.__contains__, tree.parent_chain(pk)))
        top = chain[-1]
        if area is not None and top == area.pk and len(chain) >= 2:
            group_of[pk] = chain[-2]  # one level below the chosen area
        else:
            group_of[pk] = top
    return Scope(area=area, area_ids=ids, group_of=group_of, names=names)
