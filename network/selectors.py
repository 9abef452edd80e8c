"""Reads for the network pages: directory counts, the core team, the picture, GeoJSON."""

from django.db.models import Count, Q

from neighbourhoods.models import Area, AreaAssignment
from neighbourhoods.permissions import descendant_ids

from . import picture
from .models import KIND_COLOURS, Cooperation, Partner, PartnerKind


def kind_counts(partners):
    """[(kind, label, count, colour)] for every kind present in `partners`, in kind order."""
    counts = dict(partners.order_by().values_list("kind").annotate(n=Count("pk")))
    return [
        (kind, label, counts[kind], KIND_COLOURS[kind])
        for kind, label in PartnerKind.choices
        if counts.get(kind)
    ]


def _ancestor_ids(area, parents):
    result, node = set(), area.parent_id
    while node is not None and node not in result:
        result.add(node)
        node = parents.get(node)
    return result


def core_team(area=None):
    """The core team: coordination and the quarter managers, one entry per person.

    For an area: its managers, those of its sub-areas and of the areas above it, and the
    coordination. Returns CoreMember tuples (name, role, area names, public contact).
    """
    assignments = AreaAssignment.objects.select_related("user", "area").order_by(
        "role", "user__last_name", "user__first_name", "user__username", "area__name"
    )
    assignments = assignments.filter(user__is_active=True)
    if area is not None:
        parents = dict(Area.objects.values_list("pk", "parent_id"))
        relevant = descendant_ids([area.pk]) | _ancestor_ids(area, parents)
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


def network_picture(area=None):
    """The Picture for the whole city or for `area` (incl. its sub-areas)."""
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
        if not partner.point:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": partner.point["coordinates"]},
                "properties": {
                    "name": partner.name,
                    "kind": str(partner.get_kind_display()),
                    "url": partner.get_absolute_url(),
                    "colour": partner.colour,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
