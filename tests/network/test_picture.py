import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from neighbourhoods.models import AreaAssignment
from network import picture
from tests.factories import make_area, make_coordination, make_manager
from tests.network.factories import make_cooperation, make_partner

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(response):
    body = response.content.decode()
    start, end = body.index("<svg"), body.index("</svg>") + len("</svg>")
    return body[start:end], ET.fromstring(body[start:end])  # noqa: S314 - our own output


def test_layout_is_deterministic_and_grouped_by_kind():
    partners = [
        picture.PartnerInput(pk=1, name="Zeta", kind="association", url="/z/"),
        picture.PartnerInput(pk=2, name="alpha", kind="social", url="/a/"),
        picture.PartnerInput(pk=3, name="Beta", kind="association", url="/b/"),
    ]
    first = picture.layout(partners=partners)
    second = picture.layout(partners=list(reversed(partners)))
    assert first == second
    assert [node.name for node in first.nodes] == ["Beta", "Zeta", "alpha"]
    assert [entry.kind for entry in first.legend] == ["association", "social"]
    assert first.nodes[0].x == pytest.approx(picture.CENTRE)  # first node at the top


def test_layout_draws_cooperations_only_inside_the_picture():
    partners = [
        picture.PartnerInput(pk=pk, name=f"P{pk}", kind="other", url="/") for pk in (1, 2, 3)
    ]
    cooperations = [
        picture.CooperationInput(pk=1, title="A", kind_label="Projekt", partner_pks=(1, 2, 3)),
        picture.CooperationInput(pk=2, title="B", kind_label="Projekt", partner_pks=(3, 99)),
    ]
    result = picture.layout(partners=partners, cooperations=cooperations)
    assert [chord.pk for chord in result.chords] == [1]
    assert result.chords[0].path.count("M") == 2


def test_empty_layout():
    assert picture.layout(partners=[]).is_empty


@pytest.mark.django_db
def test_area_picture_svg_parses_and_contains_each_partner_and_cooperation_once(client):
    south = make_area("Südstadt")
    west = make_area("Südstadt-West", parent=south)
    north = make_area("Nordstadt")
    inside = [
        make_partner("Familienzentrum", kind="social", areas=[west]),
        make_partner("Sportverein", areas=[south]),
        make_partner("Moschee", kind="religious", areas=[south, north]),
    ]
    outside = make_partner("Heimatverein Nord", areas=[north])
    make_partner("Inaktiv", areas=[south], is_active=False)
    coop_a = make_cooperation(inside[0], inside[1], title="Hausaufgabenhilfe")
    coop_b = make_cooperation(*inside, title="Arbeitskreis Süd")
    make_cooperation(inside[2], outside, title="Nur halb im Gebiet")
    manager = make_manager(south)
    AreaAssignment.objects.filter(user=manager).update(public_contact="Sprechstunde")
    make_coordination()

    url = reverse("network:area-network-picture", kwargs={"slug": south.slug})
    response = client.get(url)
    assert response.status_code == 200
    text, root = svg_of(response)
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    links = root.findall(f".//{SVG}a")
    hrefs = sorted(link.get("href") for link in links)
    assert hrefs == sorted(partner.get_absolute_url() for partner in inside)
    assert all(link.get("aria-label") for link in links)
    chords = [
        path.get("data-cooperation")
        for path in root.iter(f"{SVG}path")
        if path.get("data-cooperation")
    ]
    assert sorted(chords) == sorted([str(coop_a.pk), str(coop_b.pk)])
    body = response.content.decode()
    assert "Heimatverein Nord" not in body and "Inaktiv" not in body
    assert "Sprechstunde" in body  # the core team in the text alternative
    assert "<table" in body and "Hausaufgabenhilfe" in body
    assert client.get(url).content.decode().count(text) == 1  # same picture again


@pytest.mark.django_db
def test_picture_renders_identically_twice_and_escapes_names(client):
    south = make_area("Südstadt")
    a = make_partner('<script>alert("x")</script> & Co', areas=[south])
    b = make_partner("B", areas=[south])
    make_cooperation(a, b, title="<b>fett</b>")
    url = reverse("network:network-picture")
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    svg, _root = svg_of(client.get(url))  # parses despite the markup in names
    assert "<script>" not in svg and "<b>" not in svg


@pytest.mark.django_db
def test_picture_without_partners(client):
    response = client.get(reverse("network:network-picture"))
    assert response.status_code == 200
    svg_of(response)
    assert client.get("/quartiere/gibt-es-nicht/netzwerk/").status_code == 404


@pytest.mark.django_db
def test_area_section_lists_partners_of_area_and_sub_areas():
    from django.template.loader import render_to_string

    from neighbourhoods.registry import area_sections
    from neighbourhoods.selectors import area_tree

    south = make_area("Südstadt")
    west = make_area("Südstadt-West", parent=south)
    make_partner("Familienzentrum", areas=[west])
    make_partner("Heimatverein", areas=[make_area("Nordstadt")])
    section = next(s for s in area_sections() if s.key == "network")
    context = section.context(south, area_tree().descendant_ids(south, with_successors=False), None)
    html = render_to_string(section.template_name, context)
    assert "Netzwerk im Quartier" in html
    assert "Familienzentrum" in html and "Heimatverein" not in html
    assert reverse("network:area-network-picture", kwargs={"slug": south.slug}) in html


@pytest.mark.django_db
def test_a_picture_too_large_to_read_becomes_the_areas_overview(client, monkeypatch):
    """Above PICTURE_MAX_PARTNERS the city's page lists its quarters with their partners per
    kind, each linking to its own picture (where a quarter without areas below still draws
    every partner)."""
    from network import selectors
    from network.models import PartnerKind

    monkeypatch.setattr(selectors, "PICTURE_MAX_PARTNERS", 2)
    north = make_area("Nordstadt")
    south = make_area("Südstadt")
    make_partner("Kirchengemeinde St. Marien", kind=PartnerKind.RELIGIOUS, areas=[north])
    make_partner("Bürgerverein Nord", areas=[north])
    make_partner("Tafel Süd", kind=PartnerKind.WELFARE, areas=[north, south])
    body = client.get(reverse("network:network-picture")).content.decode()
    assert "<svg" not in body and "Partner im Netzwerk: 3." in body
    north_row = body.split(">Nordstadt</a>")[1].split("</tr>")[0]
    assert north_row.split("<td>")[-1].startswith("3")
    assert reverse("network:area-network-picture", kwargs={"slug": north.slug}) in body
    area_page = client.get(reverse("network:area-network-picture", kwargs={"slug": north.slug}))
    area_body = area_page.content.decode()
    assert "<svg" in area_body and "Kirchengemeinde St. Marien" in area_body


@pytest.mark.django_db
def test_the_overview_needs_the_same_queries_for_few_and_many_partners(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from network import selectors

    monkeypatch.setattr(selectors, "PICTURE_MAX_PARTNERS", 1)
    north, south = make_area("Nordstadt"), make_area("Südstadt")
    make_partner(areas=[north])
    make_partner(areas=[south])
    url = reverse("network:network-picture")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert "Partner im Netzwerk" in client.get(url).content.decode()
        return len(captured)

    few = count()
    for _ in range(20):
        make_partner(areas=[north, south])
    make_area("Weststadt")
    assert count() == few
