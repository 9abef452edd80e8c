"""Reads of the area tree: the one `AreaTree` and the pages' reads, in a fixed number of queries.

`area_tree()` is the whole tree (every area, current or not: parents, successors, validity) as
plain ids, built once per process beside the point → area index (`lookup.py`) and rebuilt when
`AreaTreeVersion` changes, so every worker notices a change made by another one. Keeping it costs
one tiny query (the version) per call; building it one query.

"Below an area" has one meaning with two variants, and every caller says which one it means:

- `with_successors=False`: the sub-areas (children, their children, …), current or not;
- `with_successors=True`: also what the area and its sub-areas became when they were split or
  retired (successors) and what lies below those. Scopes that must follow items across a split
  use this one (a manager's areas, an area's ideas, feeds and reports).
"""

import threading
from dataclasses import dataclass, field

from django.utils import timezone

from .models import GEOMETRY_FIELDS, Area, AreaTreeVersion


class AreaCache:
    """The area tree and what is derived from it (the lookup index), kept per process while
    `AreaTreeVersion` and the day (which areas are current) stay the same.

    Nothing here is shared between processes: each one compares the version in the database
    (one tiny query per use) and rebuilds on its own (one more query for the tree).
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._state = (None, {})  # (key, {name: value}), replaced as a whole

    def get(self, name, build, *, key=None):
        """The value `name` for `key` (the current one when None), built by `build(key)`."""
        if key is None:
            key = self._current_key()
        state_key, values = self._state
        if state_key == key and name in values:
            return values[name]
        with self._lock:
            state_key, values = self._state
            if state_key != key:
                values = {}
                self._state = (key, values)
            if name not in values:
                values[name] = build(key)
            return values[name]

    def _current_key(self):
        return (AreaTreeVersion.current(), timezone.localdate())

    def reset(self):
        with self._lock:
            self._state = (None, {})


area_cache = AreaCache()


def _as_ids(areas):
    if isinstance(areas, Area):
        return [areas.pk]
    if isinstance(areas, int):
        return [areas]
    return [area.pk if isinstance(area, Area) else area for area in areas]


def _closure(start, *edge_maps):
    result, todo = set(), list(start)
    while todo:
        pk = todo.pop()
        if pk in result:
            continue
        result.add(pk)
        for edges in edge_maps:
            todo.extend(edges.get(pk, ()))
    return result


@dataclass(frozen=True)
class AreaTree:
    """Every area as ids: parent, children, successors and validity. Methods take an Area, an
    id or (where said) several of them, and return ids; none of them queries the database."""

    today: object
    parents: dict  # id → parent id or None
    children: dict = field(default_factory=dict)  # id → [child ids]
    successors: dict = field(default_factory=dict)  # id → [ids of what it became]
    predecessors: dict = field(default_factory=dict)  # id → [ids of what it came from]
    validity: dict = field(default_factory=dict)  # id → (valid_from, valid_until)

    @classmethod
    def build(cls, today):
        """One query: every area with its parent, validity and predecessors."""
        parents, validity, children, successors, predecessors = {}, {}, {}, {}, {}
        rows = Area.objects.order_by("name", "pk").values_list(
            "pk", "parent_id", "valid_from", "valid_until", "predecessors"
        )
        for pk, parent_id, valid_from, valid_until, predecessor_id in rows:
            if pk not in parents:
                parents[pk] = parent_id
                validity[pk] = (valid_from, valid_until)
                if parent_id is not None:
                    children.setdefault(parent_id, []).append(pk)
            if predecessor_id is not None:
                successors.setdefault(predecessor_id, []).append(pk)
                predecessors.setdefault(pk, []).append(predecessor_id)
        return cls(
            today=today,
            parents=parents,
            children=children,
            successors=successors,
            predecessors=predecessors,
            validity=validity,
        )

    def descendant_ids(self, areas, *, with_successors):
        """The given area(s) and every area below them (see the module docstring)."""
        edges = (self.children, self.successors) if with_successors else (self.children,)
        return _closure(_as_ids(areas), *edges)

    def ancestor_ids(self, area, *, with_predecessors):
        """The area and every area above it: its parent, the parent's parent, … and with
        `with_predecessors` also what it came from (and above those). The inverse of
        `descendant_ids`: `a in ancestor_ids(b)` exactly when `b in descendant_ids(a)`."""
        upward = {pk: [parent] for pk, parent in self.parents.items() if parent is not None}
        edges = (upward, self.predecessors) if with_predecessors else (upward,)
        return _closure(_as_ids(area), *edges)

    def parent_chain(self, area):
        """[the area, its parent, the parent's parent, …] up to its quarter."""
        (pk,) = _as_ids(area)
        chain, node = [pk], self.parents.get(pk)
        while node is not None and node not in chain:
            chain.append(node)
            node = self.parents.get(node)
        return chain

    def depth(self, area):
        """How many parents lie above the area (0 for a quarter)."""
        return len(self.parent_chain(area)) - 1

    def is_current(self, area):
        (pk,) = _as_ids(area)
        valid_from, valid_until = self.validity.get(pk, (None, None))
        return (
            valid_from is not None
            and valid_from <= self.today
            and (valid_until is None or valid_until > self.today)
        )

    def current_children_ids(self, area):
        """The current areas directly below the area, by name."""
        (pk,) = _as_ids(area)
        return [child for child in self.children.get(pk, ()) if self.is_current(child)]


def _build_tree(key):
    _version, today = key
    return AreaTree.build(today)


def area_tree(*, key=None):
    """The area tree of this moment (one version query while it is cached)."""
    return area_cache.get("tree", _build_tree, key=key)


def area_names():
    """{id: name} of every area (retired ones too), kept with the tree: an area's name without
    joining its row (one query per version of the tree)."""
    return area_cache.get("names", lambda key: dict(Area.objects.values_list("pk", "name")))


@dataclass
class TreeNode:
    area: Area
    children: list = field(default_factory=list)


def current_tree():
    """The current areas as a forest of TreeNodes (one query), quarters first by name."""
    areas = list(Area.objects.current().defer(*GEOMETRY_FIELDS).order_by("name"))
    nodes = {area.pk: TreeNode(area) for area in areas}
    roots = []
    for area in areas:
        parent = nodes.get(area.parent_id)
        (parent.children if parent else roots).append(nodes[area.pk])
    return roots


def current_with_boundaries():
    """Current areas with a boundary, parents before their children (for drawing order)."""
    tree = area_tree()
    areas = list(
        Area.objects.current()
        .exclude(boundary__isnull=True)
        .defer("boundary")  # maps draw the display copy
        .order_by("name")
    )
    return sorted(areas, key=tree.depth)
