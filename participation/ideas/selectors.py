"""Reads for the idea map: the features of `/ideen.geojson`, and one marker per area when a
box holds too many ideas. A fixed number of queries whatever the number of ideas."""

from django.db.models import Avg, Count
from django.urls import reverse

from neighbourhoods.lookup import representative_points

from .models import KIND_COLOURS_BY_KIND, IdeaStatus, in_box

# With a bbox, a box holding more ideas than this is answered with one marker per area.
MAP_CLUSTER_LIMIT = 500


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
    """One row per area: its matching ideas' count and mean position (one GROUP BY query)."""
    return list(
        queryset.order_by()
        .values("area_id", "area__name")
        .annotate(
            count=Count("pk"),
            mean_lng=Avg("lng"),
            mean_lat=Avg("lat"),
        )
        .order_by("area__name", "area_id")
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


def map_features_in_box(queryset, bbox, *, list_query):
    """The located ideas of `queryset` inside `bbox` → `(clustered, features)`.

    Up to MAP_CLUSTER_LIMIT ideas come as themselves; above it, one feature per area linking
    to the idea list filtered by `list_query` (a QueryDict of the list's filters) and the area.
    The box is applied in the database, through the index on the stored coordinates.
    """
    queryset = located(queryset).filter(in_box(*bbox))
    groups = _area_groups(queryset)
    clustered = sum(group["count"] for group in groups) > MAP_CLUSTER_LIMIT
    if clustered:
        return True, _cluster_features(groups, bbox, list_query)
    return False, map_idea_features(queryset)


def idea_timeline(idea):
    """What became of the idea, oldest first: the team's answers and the requests to offices
    and the measures it led to (read from the prefetched `answers`, `forwardings` and
    `measures`), as (kind, when, item)."""
    events = [("answer", answer.created_at, answer) for answer in idea.answers.all()]
    events += [("office", item.created_at, item) for item in idea.forwardings.all()]
    events += [("measure", item.created_at, item) for item in idea.measures.all()]
    return sorted(events, key=lambda event: event[1])
