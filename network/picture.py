"""The network picture: a deterministic ring layout, computed from plain data.

Core team in the centre, partners on the middle ring grouped by kind (sorted by kind, then
name; angles follow from the indices, with one empty slot between kinds), the people of the
quarter as the outer ring, and one curve per cooperation between its partners. Nothing here
touches the database: `layout()` takes plain inputs and returns a `Picture` for the template.
"""

import math
from dataclasses import dataclass

from .models import KIND_COLOURS, PartnerKind

SIZE = 640
CENTRE = SIZE / 2
CORE_RADIUS = 78
PARTNER_RADIUS = 200
OUTER_RADIUS = 282
OUTER_WIDTH = 30
KIND_ORDER = {kind: index for index, kind in enumerate(PartnerKind.values)}


@dataclass(frozen=True)
class PartnerInput:
    pk: int
    name: str
    kind: str
    url: str


@dataclass(frozen=True)
class CooperationInput:
    pk: int
    title: str
    kind_label: str
    partner_pks: tuple


@dataclass(frozen=True)
class CoreMember:
    name: str
    role: str
    areas: tuple
    public_contact: str


@dataclass(frozen=True)
class Node:
    number: int
    pk: int
    name: str
    kind: str
    kind_label: str
    colour: str
    url: str
    x: float
    y: float
    r: float
    font_size: float


@dataclass(frozen=True)
class Chord:
    pk: int
    title: str
    kind_label: str
    path: str
    partners: tuple  # the Nodes it connects, in ring order


@dataclass(frozen=True)
class LegendEntry:
    kind: str
    label: str
    colour: str
    nodes: tuple


@dataclass(frozen=True)
class Picture:
    size: float
    centre: float
    core_radius: float
    partner_radius: float
    outer_radius: float
    outer_width: float
    outer_arc: str
    nodes: tuple
    chords: tuple
    legend: tuple
    core: tuple

    @property
    def is_empty(self):
        return not self.nodes


def _round(value):
    return round(value, 1) + 0.0  # no "-0.0"


def _sorted_partners(partners):
    return sorted(
        partners,
        key=lambda p: (KIND_ORDER.get(p.kind, len(KIND_ORDER)), p.name.casefold(), p.pk),
    )


def _slots(partners):
    """Ring slot per partner: its index plus one gap slot before each new kind."""
    slots, gap, previous = [], 0, None
    for index, partner in enumerate(partners):
        if previous is not None and partner.kind != previous:
            gap += 1
        slots.append(index + gap)
        previous = partner.kind
    total = (len(partners) + gap + (1 if gap else 0)) or 1
    return slots, total


def _curve(a, b):
    """A quadratic curve from node a to node b, bent towards the centre."""
    mid_x, mid_y = (a.x + b.x) / 2, (a.y + b.y) / 2
    control_x = CENTRE + (mid_x - CENTRE) * 0.35
    control_y = CENTRE + (mid_y - CENTRE) * 0.35
    return (
        f"M{_round(a.x)} {_round(a.y)} "
        f"Q{_round(control_x)} {_round(control_y)} {_round(b.x)} {_round(b.y)}"
    )


def layout(*, partners, cooperations=(), core=(), kind_labels=None):
    """Compute the picture. `partners`: PartnerInput; `cooperations`: CooperationInput (only
    those with at least two partners in the picture are drawn); `core`: CoreMember."""
    kind_labels = kind_labels or dict(PartnerKind.choices)
    ordered = _sorted_partners(partners)
    slots, total = _slots(ordered)
    spacing = 2 * math.pi * PARTNER_RADIUS / total
    radius = max(5.0, min(16.0, spacing * 0.42))
    font_size = _round(max(5.0, min(13.0, radius * 0.85)))
    nodes = []
    for number, (partner, slot) in enumerate(zip(ordered, slots, strict=True), start=1):
        angle = -math.pi / 2 + 2 * math.pi * slot / total
        nodes.append(
            Node(
                number=number,
                pk=partner.pk,
                name=partner.name,
                kind=partner.kind,
                kind_label=str(kind_labels.get(partner.kind, partner.kind)),
                colour=KIND_COLOURS.get(partner.kind, KIND_COLOURS[PartnerKind.OTHER]),
                url=partner.url,
                x=_round(CENTRE + PARTNER_RADIUS * math.cos(angle)),
                y=_round(CENTRE + PARTNER_RADIUS * math.sin(angle)),
                r=_round(radius),
                font_size=font_size,
            )
        )
    by_pk = {node.pk: node for node in nodes}

    chords = []
    for cooperation in sorted(cooperations, key=lambda c: (c.title.casefold(), c.pk)):
        members = sorted(
            {by_pk[pk] for pk in cooperation.partner_pks if pk in by_pk},
            key=lambda node: node.number,
        )
        if len(members) < 2:
            continue
        path = " ".join(_curve(a, b) for a, b in zip(members, members[1:], strict=False))
        chords.append(
            Chord(
                pk=cooperation.pk,
                title=cooperation.title,
                kind_label=cooperation.kind_label,
                path=path,
                partners=tuple(members),
            )
        )

    legend = []
    for kind in PartnerKind.values:
        kind_nodes = tuple(node for node in nodes if node.kind == kind)
        if kind_nodes:
            legend.append(
                LegendEntry(
                    kind=kind,
                    label=str(kind_labels.get(kind, kind)),
                    colour=KIND_COLOURS[kind],
                    nodes=kind_nodes,
                )
            )

    left, right = CENTRE - OUTER_RADIUS, CENTRE + OUTER_RADIUS
    outer_arc = (
        f"M{_round(left)} {_round(CENTRE)} "
        f"A{OUTER_RADIUS} {OUTER_RADIUS} 0 0 1 {_round(right)} {_round(CENTRE)}"
    )
    return Picture(
        size=SIZE,
        centre=CENTRE,
        core_radius=CORE_RADIUS,
        partner_radius=PARTNER_RADIUS,
        outer_radius=OUTER_RADIUS,
        outer_width=OUTER_WIDTH,
        outer_arc=outer_arc,
        nodes=tuple(nodes),
        chords=tuple(chords),
        legend=tuple(legend),
        core=tuple(sorted(core, key=lambda m: (m.role, m.name.casefold()))),
    )
