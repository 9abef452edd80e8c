"""Reads for the network pages: directory counts, the core team, the picture, GeoJSON."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate

from neighbourhoods.geometry import point_lng_lat
from neighbourhoods.models import AreaAssignment, area_geometry
from neighbourhoods.selectors import area_tree

from . import picture
from .models import KIND_COLOURS, Cooperation, JoinRequest, Partner, PartnerKind, TargetGroup


def kind_counts(partners):
    """[(kind, label, count, colour)] for every kind present in `partners`, in kind order."""
    counts = dict(partners.order_by().values_list("kind").annotate(n=Count("pk")))
    return [
        (kind, label, counts[kind], KIND_COLOURS[kind])
        for kind, label in PartnerKind.choices
        if counts.get(kind)
    ]


def core_team(area=None):
    """The core team: coordination and the quarter managers, one entry per person.

    For an area: its managers, those of its sub-areas and of the areas above it, and the
    coordination. Returns CoreMember tuples (name, role, area names, public contact).
    """
    assignments = (
        AreaAssignment.objects.select_related("user", "area")
        .defer(*area_geometry("area"))
        .order_by("role", "user__last_name", "user__first_name", "user__username", "area__name")
    )
    assignments = assignments.filter(user__is_active=True)
    if area is not None:
        tree = area_tree()
        relevant = tree.descendant_ids(area, with_successors=True) | tree.ancestor_ids(
            area, with_predecessors=False
        )
        assignments = assignments.filter(
            Q(area_id__in=relevant) | Q(role=AreaAssignment.Role.COORDINATION)
        )
    people = {}
    for assignment in assignments:
        key = (assignment.user_id, assignment.role)
        entry = people.setdefault(
            key,
            {
                "name": assignment.user.get_full_name() or assignment.user.get_username(),
                "role": assignment.get_role_display(),
                "areas": [],
                "contact": [],
            },
        )
        entry["areas"].append(assignment.area.name)
        if assignment.public_contact and assignment.public_contact not in entry["contact"]:
            entry["contact"].append(assignment.public_contact)
    return [
        picture.CoreMember(
            name=entry["name"],
            role=str(entry["role"]),
            areas=tuple(entry["areas"]),
            public_contact="\n".join(entry["contact"]),
        )
        for entry in people.values()
    ]


def picture_partners(area=None):
    partners = Partner.objects.active()
    if area is not None:
        partners = partners.serving_area(area)
    return partners.only("pk", "name", "slug", "kind").order_by("name")


PICTURE_SCOPES = ("app:network", "app:neighbourhoods")


# Above this many partners a picture cannot be read (and the city's weighed 4 MB with 5,000):
# the page shows the partners per kind for each area below instead, each linking to its own.
PICTURE_MAX_PARTNERS = 300


def network_picture_html(area=None):
    """The picture, its text alternative and the core team as HTML for the picture page, laid
    out and rendered once and kept (quartier.fragments) until a row of the network or of the
    area tree changes: 500 partners cost ~100 ms of CPU to lay out and render. With more than
    PICTURE_MAX_PARTNERS, the overview of the areas below (`picture_overview`) instead."""
    from django.template.loader import render_to_string

    from quartier import fragments

    def build():
        overview = picture_overview(area)
        if overview is not None:
            return render_to_string(
                "network/includes/picture_overview.html",
                {"overview": overview, "core_team": core_team(area), "area": area},
            )
        return render_to_string(
            "network/includes/picture_body.html",
            {"picture": network_picture(area), "area": area},
        )

    return fragments.cached(
        f"network-picture:{area.pk if area is not None else 'city'}", PICTURE_SCOPES, build
    )


def picture_overview(area=None):
    """For a picture of more than PICTURE_MAX_PARTNERS partners: {"count", "kinds", "rows"}
    with a row per current area directly below (the quarters for the city) — its partners
    per kind and its total — or None when the picture itself is small enough (or there is no
    area below to show instead). Three queries, whatever the number of areas and partners."""
    from neighbourhoods.models import Area

    partners = picture_partners(area)
    count = partners.count()
    if count <= PICTURE_MAX_PARTNERS:
        return None
    tree = area_tree()
    below = list(Area.objects.current().filter(parent=area).without_geometry().order_by("name"))
    if not below:
        return None
    kinds = list(PartnerKind.choices)
    reach = {child.pk: tree.descendant_ids(child, with_successors=True) for child in below}
    # one query: every active partner's areas among those below (a partner counts once per row)
    assignments = Partner.areas.through.objects.filter(
        partner__is_active=True, area_id__in=set().union(*reach.values())
    ).values_list("area_id", "partner_id", "partner__kind")
    serving = {child.pk: {} for child in below}  # child -> {partner id: kind}
    for area_id, partner_id, kind in assignments:
        for child_pk, ids in reach.items():
            if area_id in ids:
                serving[child_pk][partner_id] = kind
    rows = []
    for child in below:
        kinds_served = list(serving[child.pk].values())
        rows.append(
            {
                "area": child,
                "counts": [kinds_served.count(kind) for kind, _label in kinds],
                "total": len(kinds_served),
            }
        )
    return {"count": count, "kinds": [label for _kind, label in kinds], "rows": rows}


def network_picture(area=None):
    partners = list(picture_partners(area))
    pks = [partner.pk for partner in partners]
    links = Cooperation.partners.through.objects.filter(partner_id__in=pks).values_list(
        "cooperation_id", "partner_id"
    )
    members = {}
    for cooperation_id, partner_id in links:
        members.setdefault(cooperation_id, []).append(partner_id)
    candidate_ids = [pk for pk, partner_ids in members.items() if len(partner_ids) >= 2]
    cooperations = Cooperation.objects.filter(pk__in=candidate_ids).only("pk", "title", "kind")
    return picture.layout(
        partners=[
            picture.PartnerInput(
                pk=partner.pk, name=partner.name, kind=partner.kind, url=partner.get_absolute_url()
            )
            for partner in partners
        ],
        cooperations=[
            picture.CooperationInput(
                pk=cooperation.pk,
                title=cooperation.title,
                kind_label=str(cooperation.get_kind_display()),
                partner_pks=tuple(members[cooperation.pk]),
            )
            for cooperation in cooperations
        ],
        core=core_team(area),
    )


def partners_geojson(partners):
    """A FeatureCollection of partners with a point: name, kind, url and colour only."""
    features = []
    for partner in partners.exclude(point__isnull=True).only("pk", "name", "slug", "kind", "point"):
        position = point_lng_lat(partner.point)
        if position is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(position)},
                "properties": {
                    "name": partner.name,
                    "kind": str(partner.get_kind_display()),
                    "url": partner.get_absolute_url(),
                    "colour": partner.colour,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- Reads for participation's reports (network must not import participation) -------------
# `area_ids=None` means the whole city; otherwise partners serving / requests naming any of the
# given areas (pass sub-areas and successors in too). One query each, whatever the data size.


def _serving(partners, area_ids):
    return partners if area_ids is None else partners.serving(area_ids)


def partner_kind_counts(area_ids=None):
    """[(kind, label, count)] of active partners per kind, in kind order, kinds present only."""
    partners = _serving(Partner.objects.active(), area_ids)
    counts = dict(partners.order_by().values_list("kind").annotate(n=Count("pk")))
    return [
        (kind, str(label), counts[kind]) for kind, label in PartnerKind.choices if kind in counts
    ]


def partner_target_group_counts(area_ids=None):
    """[(target group name, count of active partners serving it)], largest first."""
    partners = _serving(Partner.objects.active(), area_ids)
    rows = (
        TargetGroup.objects.filter(partners__in=partners)
        .values("name", "order")
        .annotate(n=Count("partners", distinct=True))
        .order_by("-n", "order", "name")
    )
    return [(row["name"], row["n"]) for row in rows]


def active_partner_count(area_ids=None):
    return _serving(Partner.objects.active(), area_ids).count()


def new_partners_in_period(area_ids, start, end):
    """Partners that became active in [start, end] (dates): `active_since`, or the day they were
    entered when it is unknown. [(name, kind label, date)], oldest first."""
    since = Coalesce("active_since", TruncDate("created_at"))
    rows = (
        _serving(Partner.objects.all(), area_ids)
        .annotate(since_date=since)
        .filter(since_date__gte=start, since_date__lte=end)
        .order_by("since_date", "name")
        .values_list("name", "kind", "since_date")
    )
    labels = dict(PartnerKind.choices)
    return [(name, str(labels.get(kind, kind)), day) for name, kind, day in rows]


def new_cooperations_in_period(area_ids, start, end):
    """Cooperations begun in [start, end] in the areas (by their areas or a partner serving
    them). [(title, kind label, since)], oldest first."""
    cooperations = Cooperation.objects.filter(since__gte=start, since__lte=end)
    if area_ids is not None:
        area_ids = list(area_ids)
        cooperations = cooperations.filter(
            Q(areas__in=area_ids) | Q(partners__in=Partner.objects.serving(area_ids))
        )
    rows = (
        Cooperation.objects.filter(pk__in=cooperations.values("pk"))
        .order_by("since", "title")
        .values_list("title", "kind", "since")
    )
    labels = dict(Cooperation.Kind.choices)
    return [(title, str(labels.get(kind, kind)), since) for title, kind, since in rows]


def join_requests_handled(area_ids, start_at, end_at):
    """{"accepted": n, "declined": n} of join requests decided in [start_at, end_at)
    (datetimes), naming any of the areas (all requests for the whole city)."""
    requests = JoinRequest.objects.filter(handled_at__gte=start_at, handled_at__lt=end_at)
    if area_ids is not None:
        requests = requests.filter(
            pk__in=JoinRequest.areas.through.objects.filter(area_id__in=list(area_ids)).values(
                "joinrequest_id"
            )
        )
    return requests.aggregate(
        accepted=Count("pk", filter=Q(status=JoinRequest.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=JoinRequest.Status.DECLINED)),
    )
