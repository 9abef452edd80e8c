"""Reads for the idea map: the features of `/ideen.geojson`, and one marker per area when a
box holds too many ideas. A fixed number of queries whatever the number of ideas."""

import hashlib

from django.db import connection
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse

from neighbourhoods.lookup import current_areas_bounds, representative_points
from neighbourhoods.selectors import area_names, area_tree
from quartier import fragments

from ..measures.models import MeasureStatus
from .models import KIND_COLOURS_BY_KIND, LISTED_SQL, LISTED_SQL_PARAMS, Idea, IdeaStatus, in_box

# With a bbox, a box holding more ideas than this is answered with one marker per area.
MAP_CLUSTER_LIMIT = 500
# An area's kept map group lists at most this many of its ideas lying beyond its box.
KEPT_STRAYS = 50


def parse_bbox(value):
    """ "minLng,minLat,maxLng,maxLat" → a tuple of floats; ValueError for anything else."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError
    min_lng, min_lat, max_lng, max_lat = (float(part) for part in parts)
    if not all(abs(number) < 1e9 for number in (min_lng, min_lat, max_lng, max_lat)):
        raise ValueError
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError
    return min_lng, min_lat, max_lng, max_lat


def _in_bbox(bbox, lng, lat):
    return bbox[0] <= lng <= bbox[2] and bbox[1] <= lat <= bbox[3]


def located(queryset):
    """Only ideas with a usable point (the stored coordinates)."""
    return queryset.filter(lng__isnull=False, lat__isnull=False)


def map_idea_features(queryset):
    """One GeoJSON Point feature per located idea of `queryset` (one query)."""
    features = []
    status_labels = {value: str(label) for value, label in IdeaStatus.choices}
    rows = located(queryset).values_list(
        "pk", "title", "kind", "topic__name", "status", "lng", "lat"
    )
    for pk, title, kind, topic, status, lng, lat in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": pk,
                    "title": title,
                    "kind": kind,
                    "topic": topic,
                    "status": status_labels.get(status, status),
                    "url": reverse("participation:idea-detail", args=[pk]),
                    "colour": KIND_COLOURS_BY_KIND.get(kind, "#1d5b79"),
                },
            }
        )
    return features


def _area_groups(queryset):
    """One row per area: its matching ideas' count and mean position (one GROUP BY query, by
    the area's id alone: the names come from the kept area tree), ordered by the area's name."""
    groups = list(
        queryset.order_by()
        .values("area_id")
        .annotate(
            # COUNT(*), not of the id: the index on (lat, lng, area_id) alone answers it (an
            # index-only scan; a box of 18,000 ideas at 1,000,000: 184 ms → 29 ms)
            count=Count("*"),
            mean_lng=Avg("lng"),
            mean_lat=Avg("lat"),
        )
    )
    return _named(groups)


def _named(groups):
    """`groups` (dicts with `area_id`) with their areas' names from the kept area tree, ordered
    by name."""
    names = area_names()
    for group in groups:
        group["area__name"] = names.get(group["area_id"], "")
    return sorted(groups, key=lambda group: (group["area__name"], group["area_id"]))


def _box_groups(queryset, bbox, *, area_ids=None, plain=False):
    """`_area_groups` of the ideas of `queryset` inside `bbox` (and in `area_ids`). `plain`:
    `queryset` holds every located listed idea (no filter chosen), counted with plain SQL: for
    a box that cuts areas (each new view of the map) building the ORM's query cost more than
    the database's count."""
    if not plain:
        queryset = queryset.filter(in_box(*bbox))
        if area_ids is not None:
            queryset = queryset.filter(area_id__in=area_ids)
        return _area_groups(queryset)
    min_lng, min_lat, max_lng, max_lat = bbox
    sql = (
        f"SELECT area_id, COUNT(*), AVG(lng), AVG(lat) FROM participation_idea WHERE {LISTED_SQL} "  # noqa: S608 -- our constants
        "AND lng >= %s AND lng <= %s AND lat >= %s AND lat <= %s"
    )
    params = [*LISTED_SQL_PARAMS, min_lng, max_lng, min_lat, max_lat]
    if area_ids is not None:
        area_ids = list(area_ids) or [0]
        sql += f" AND area_id IN ({', '.join(['%s'] * len(area_ids))})"
        params += area_ids
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY area_id", params)
        rows = cursor.fetchall()
    return _named(
        [
            {"area_id": area_id, "count": count, "mean_lng": mean_lng, "mean_lat": mean_lat}
            for area_id, count, mean_lng, mean_lat in rows
        ]
    )


def _cluster_features(groups, bbox, list_query):
    """A Point per area at the area's representative point — or, when that lies outside the
    box (an area only partly in view) or the area has no boundary, at its ideas' mean position
    — linking to the list of the same ideas in that area."""
    points = representative_points()
    query = list_query.copy()
    list_url = reverse("participation:idea-list")
    features = []
    for group in groups:
        point = points.get(group["area_id"])
        if point is None or not _in_bbox(bbox, *point):
            point = (group["mean_lng"], group["mean_lat"])
        query["area"] = group["area_id"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point[0], 6), round(point[1], 6)],
                },
                "properties": {
                    "cluster": True,
                    "count": group["count"],
                    "area": group["area__name"],
                    "url": f"{list_url}?{query.urlencode()}",
                },
            }
        )
    return features


def _inside(inner, outer):
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _kept_area_groups(queryset, area_ids, bounds, *, plain=False):
    """{area_id: group} of the located ideas of `queryset` in each area that lie inside the
    area's own bounding box, with `outside`: the few of its ideas lying beyond it as points, or
    their number when there are more than KEPT_STRAYS. Kept per area
    and filter (quartier.fragments, under the area's version): a write in one area computes
    that area's group again, not the city's."""
    if plain:  # every listed idea: named without building the query's SQL
        filters = "listed"
    else:
        sql, params = queryset.query.sql_with_params()
        filters = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:32]
    entries = {
        pk: (f"map-area:{pk}:{filters}", (fragments.area_scope(pk), "app:neighbourhoods"))
        for pk in area_ids
    }

    def build(missing):
        inside = Q()
        for pk in missing:
            inside |= Q(area_id=pk) & in_box(*bounds[pk])
        rows = (
            queryset.filter(area_id__in=missing)
            .order_by()
            .values("area_id", "area__name")
            .annotate(
                total=Count("pk"),
                count=Count("pk", filter=inside),
                sum_lng=Sum("lng", filter=inside),
                sum_lat=Sum("lat", filter=inside),
            )
        )
        built = {pk: {"area_id": pk, "count": 0, "outside": []} for pk in missing}
        strays = []
        for row in rows:
            outside = row["total"] - row["count"]
            built[row["area_id"]] = {
                "area_id": row["area_id"],
                "area__name": row["area__name"],
                "count": row["count"],
                "outside": [] if outside == 0 else outside,  # a number: too many to keep
                "sum_lng": row["sum_lng"] or 0.0,
                "sum_lat": row["sum_lat"] or 0.0,
            }
            if 0 < outside <= KEPT_STRAYS:
                strays.append(row["area_id"])
        # the few ideas of an area placed beyond its box (on its edge, say), kept as points;
        # always this second query when building (a fixed number of queries)
        for pk in strays:
            built[pk]["outside"] = []
        rows = (
            queryset.filter(area_id__in=strays or [0])
            .exclude(inside)
            .values_list("area_id", "lng", "lat")
        )
        for area_id, lng, lat in rows:
            built[area_id]["outside"].append((lng, lat))
        return built

    return fragments.cached_many(entries, build)


def _area_groups_in_box(queryset, bbox, *, keep=True, plain=False):
    """`_area_groups` of the ideas inside `bbox`, bounded by what the box shows: areas lying
    wholly inside the box are read from their kept groups (O(1) each); only the areas the box
    cuts (and retired ones) are counted in the database. A whole-city map reads no idea.
    `plain`: see `_box_groups`."""
    bounds = current_areas_bounds()
    whole = [pk for pk, box in bounds.items() if _inside(box, bbox)]
    if not whole or not keep:
        return _box_groups(queryset, bbox, plain=plain)
    kept = _kept_area_groups(queryset, whole, bounds, plain=plain)
    # exact: every idea of the area is known from its kept group (those beyond its box as points)
    exact = {pk for pk in whole if isinstance(kept[pk]["outside"], list)}
    groups = []
    for pk in exact:
        group = kept[pk]
        strays = [point for point in group["outside"] if _in_bbox(bbox, *point)]
        count = group["count"] + len(strays)
        if count:
            groups.append(
                {
                    "area_id": pk,
                    "area__name": group["area__name"],
                    "count": count,
                    "mean_lng": (group["sum_lng"] + sum(p[0] for p in strays)) / count,
                    "mean_lat": (group["sum_lat"] + sum(p[1] for p in strays)) / count,
                }
            )
    # always one query, even when no area is cut (a fixed number of queries per request)
    rest = sorted(set(area_tree().parents) - exact) or [0]
    groups += _box_groups(queryset, bbox, area_ids=rest, plain=plain)
    return sorted(groups, key=lambda group: (group["area__name"], group["area_id"]))


def map_features_in_box(queryset, bbox, *, list_query, keep=True, plain=False):
    """The located ideas of `queryset` inside `bbox` → `(clustered, features)`.

    Up to MAP_CLUSTER_LIMIT ideas come as themselves; above it, one feature per area linking
    to the idea list filtered by `list_query` (a QueryDict of the list's filters) and the area.
    The box is applied in the database, through the index on the stored coordinates. With
    `keep` (not for a text search: no kept entries per typed text) whole areas come from their
    kept groups. `plain`: `queryset` is every listed idea (no filter chosen).
    """
    queryset = located(queryset)
    groups = _area_groups_in_box(queryset, bbox, keep=keep, plain=plain)
    clustered = sum(group["count"] for group in groups) > MAP_CLUSTER_LIMIT
    if clustered:
        return True, _cluster_features(groups, bbox, list_query)
    return False, map_idea_features(queryset.filter(in_box(*bbox)))


# what a card shows besides its idea's own row (and the supports and comments counted on it)
CARD_SCOPES = ("model:participation.topic", "app:neighbourhoods")


def idea_cards(ideas):
    """The cards of `ideas` (a list or a QuerySet) as HTML, in order, each kept under its
    idea's own version (a support, comment, answer or change of the idea raises it) and the
    topics' and the area tree's (quartier.fragments.kept_cards)."""
    return fragments.kept_cards(
        ideas,
        name="idea-card",
        template_name="participation/ideas/_card.html",
        context_name="idea",
        scopes=CARD_SCOPES,
        load=lambda pks: Idea.objects.for_list().in_bulk(pks),
        own_scope=lambda pk, _area_id: fragments.idea_scope(pk),
    )


def idea_timeline(idea):
    """What became of the idea, oldest first: the team's answers, the requests to offices, the
    measures it led to and their completion (read from the prefetched `answers`,
    `forwardings` and `measures` with their `completions`, the updates that completed them),
    as (kind, when, item)."""
    events = [("answer", answer.created_at, answer) for answer in idea.answers.all()]
    events += [("office", item.created_at, item) for item in idea.forwardings.all()]
    for measure in idea.measures.all():
        events.append(("measure", measure.created_at, measure))
        completions = getattr(measure, "completions", [])
        if measure.status == MeasureStatus.COMPLETED and completions:
            events.append(("measure_done", max(u.created_at for u in completions), measure))
    return sorted(events, key=lambda event: event[1])
