"""The back office's inbox, the admin's start page: per area, what waits for the staff member.

The rows come from the apps (`neighbourhoods.registry.register_inbox_row`): ideas to moderate,
reported ideas and comments, mood comments, overdue answers, this week's meetings, join
requests, and whatever later features add. Each row answers with one query for all the user's
areas, so the page needs the same number of queries however much waits. Areas are grouped by
their quarter (the root of the area tree); coordination sees every area.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Area
from .permissions import areas_managed_by, is_area_staff, is_coordination
from .registry import inbox_rows
from .selectors import area_tree


@dataclass
class InboxItem:
    key: str
    label: str
    count: int
    since: object
    since_label: str
    url: str
    details: list = field(default_factory=list)


@dataclass
class InboxArea:
    pk: int
    name: str
    items: list

    @property
    def oldest(self):
        return min(item.since for item in self.items)


@dataclass
class InboxQuarter:
    pk: int
    name: str
    areas: list  # the quarter itself first (if anything waits there), then by oldest item


@dataclass
class Inbox:
    quarters: list
    general: list  # rows not tied to an area (join requests)
    quiet_areas: int  # current areas of the user where nothing waits
    coordination: bool

    @property
    def is_empty(self):
        return not self.quarters and not self.general


def build_inbox(user):
    """The inbox of `user`, or None for anyone who does not work for areas."""
    if not is_area_staff(user):
        return None
    coordination = is_coordination(user)
    tree = area_tree()
    names = dict(Area.objects.values_list("pk", "name"))
    area_ids = None if coordination else sorted(areas_managed_by(user).values_list("pk", flat=True))
    by_area, general = defaultdict(list), []
    for row in inbox_rows():
        if row.visible is not None and not row.visible(user):
            continue
        if area_ids == []:
            break
        waiting = row.waiting(area_ids)
        details = row.details(area_ids) if row.details and waiting else {}
        for area_id, (count, since) in waiting.items():
            if not count:
                continue
            item = InboxItem(
                key=row.key,
                label=row.label,
                count=count,
                since=since,
                since_label=row.since_label or _("seit"),
                url=row.link(area_id),
                details=details.get(area_id, []),
            )
            if area_id is None:
                general.append(item)
            elif area_id in names:
                by_area[area_id].append(item)
    quarters = defaultdict(list)
    for area_id, items in by_area.items():
        items.sort(key=lambda item: item.since)
        root = tree.parent_chain(area_id)[-1]
        quarters[root].append(InboxArea(area_id, names[area_id], items))
    grouped = [
        InboxQuarter(
            pk=root,
            name=names[root],
            areas=sorted(areas, key=lambda area: (area.pk != root, area.oldest)),
        )
        for root, areas in quarters.items()
    ]
    grouped.sort(key=lambda quarter: quarter.name)
    mine = names if area_ids is None else area_ids
    quiet = sum(1 for pk in mine if tree.is_current(pk) and pk not in by_area)
    return Inbox(
        quarters=grouped,
        general=sorted(general, key=lambda item: item.since),
        quiet_areas=quiet,
        coordination=coordination,
    )
