"""Reads of the area tree in a fixed number of queries, whatever its size."""

from dataclasses import dataclass, field

from .models import Area


@dataclass
class TreeNode:
    area: Area
    children: list = field(default_factory=list)


def current_tree():
    """The current areas as a forest of TreeNodes (one query), quarters first by name."""
    areas = list(Area.objects.current().order_by("name"))
    nodes = {area.pk: TreeNode(area) for area in areas}
    roots = []
    for area in areas:
        parent = nodes.get(area.parent_id)
        (parent.children if parent else roots).append(nodes[area.pk])
    return roots


def subarea_ids(area):
    """The area's id and those of all areas below it (current or not), in one query."""
    return subtree_ids([area.pk])[area.pk]


def subtree_ids(area_ids):
    """{id: [the id and those of all areas below it (current or not)]} for each of
    `area_ids`, in one query whatever their number."""
    children = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    trees = {}
    for root in area_ids:
        result, todo = [], [root]
        while todo:
            pk = todo.pop()
            if pk not in result:
                result.append(pk)
                todo.extend(children.get(pk, ()))
        trees[root] = result
    return trees


def current_with_boundaries():
    """Current areas with a boundary, parents before their children (for drawing order)."""
    areas = list(Area.objects.current().exclude(boundary__isnull=True).order_by("name"))
    ids = {area.pk for area in areas}
    depth = {}

    def depth_of(area, parents={area.pk: area.parent_id for area in areas}):  # noqa: B006
        level, node = 0, area.parent_id
        while node in ids and level < 50:
            level, node = level + 1, parents[node]
        return level

    for area in areas:
        depth[area.pk] = depth_of(area)
    return sorted(areas, key=lambda area: depth[area.pk])
