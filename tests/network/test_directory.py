import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import FieldOfWork, TargetGroup
from tests.factories import make_area, make_manager
from tests.network.factories import make_contact, make_cooperation, make_partner

pytestmark = pytest.mark.django_db
LIST = reverse("network:partner-list")


def names(response):
    return sorted(partner.name for partner in response.context["page_obj"].object_list)


@pytest.fixture
def city():
    south = make_area("Südstadt")
    west = make_area("Südstadt-West", parent=south)
    north = make_area("Nordstadt")
    family = FieldOfWork.objects.get(slug="soziales")
    kids = TargetGroup.objects.get(slug="kinder")
    a = make_partner("Familienzentrum", kind="social", areas=[west], description="Elterncafé")
    a.fields_of_work.add(family)
    a.target_groups.add(kids)
    b = make_partner("Sportverein Süd", kind="association", areas=[south])
    c = make_partner("Heimatverein Nord", kind="association", areas=[north])
    make_partner("Ehemaliger Verein", kind="association", areas=[south], is_active=False)
    return {"south": south, "west": west, "north": north, "a": a, "b": b, "c": c}


def test_directory_lists_active_partners_with_counts(client, city):
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Familienzentrum", "Heimatverein Nord", "Sportverein Süd"]
    counts = {kind: count for kind, _label, count, _colour in response.context["kind_counts"]}
    assert counts == {"association": 2, "social": 1}


def test_filter_by_kind(client, city):
    assert names(client.get(LIST, {"kind": "social"})) == ["Familienzentrum"]


def test_filter_by_area_includes_sub_areas(client, city):
    assert names(client.get(LIST, {"area": "sudstadt"})) == ["Familienzentrum", "Sportverein Süd"]
    assert names(client.get(LIST, {"area": "sudstadt-west"})) == ["Familienzentrum"]
    assert names(client.get(LIST, {"area": "nordstadt"})) == ["Heimatverein Nord"]


def test_filter_by_field_of_work_and_target_group(client, city):
    assert names(client.get(LIST, {"field": "soziales"})) == ["Familienzentrum"]
    assert names(client.get(LIST, {"group": "kinder"})) == ["Familienzentrum"]


def test_free_text_search(client, city):
    assert names(client.get(LIST, {"q": "elterncafé"})) == ["Familienzentrum"]
    assert names(client.get(LIST, {"q": "verein"})) == ["Heimatverein Nord", "Sportverein Süd"]


def test_bad_filter_values_do_not_crash(client, city):
    for params in [{"kind": "nope"}, {"area": "gibt-es-nicht"}, {"page": "abc"}, {"q": "x" * 500}]:
        assert client.get(LIST, params).status_code in (200, 404)


def test_core_team_is_shown(client, city):
    manager = make_manager(city["south"], username="sven")
    manager.first_name, manager.last_name = "Sven", "Süd"
    manager.save()
    manager.area_assignments.update(public_contact="Sprechstunde dienstags")
    body = client.get(LIST).content.decode()
    assert "Das Quartiersteam" in body
    assert "Sven Süd" in body and "Sprechstunde dienstags" in body


def test_geojson_has_only_public_properties(client, city):
    make_partner(
        "Mit Ort", areas=[city["south"]], point={"type": "Point", "coordinates": [7.46, 51.49]}
    )
    make_contact(city["a"], name="Geheime Person", email="geheim@example.org")
    data = client.get(reverse("network:partners-geojson")).json()
    assert len(data["features"]) == 1
    assert set(data["features"][0]["properties"]) == {"name", "kind", "url", "colour"}
    assert "geheim" not in json.dumps(data)


def test_contact_person_without_consent_is_private(client, city):
    make_contact(city["a"], name="Private Paula", email="paula@example.org")
    make_contact(city["a"], public=True, name="Öffentlicher Otto", email="otto@example.org")
    pages = [
        LIST,
        city["a"].get_absolute_url(),
        reverse("network:network-picture"),
        reverse("network:area-network-picture", kwargs={"slug": city["south"].slug}),
        reverse("network:partners-geojson"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Private Paula" not in body and "paula@example.org" not in body
    detail = client.get(city["a"].get_absolute_url()).content.decode()
    assert "Öffentlicher Otto" in detail and "otto@example.org" in detail


def test_partner_page_shows_what_where_whom_and_cooperations(client, city):
    make_cooperation(city["a"], city["b"], title="Hausaufgabenhilfe")
    body = client.get(city["a"].get_absolute_url()).content.decode()
    assert "Elterncafé" in body
    assert "Südstadt-West" in body
    assert "Kinder" in body
    assert "Hausaufgabenhilfe" in body
    assert f'href="{city["b"].get_absolute_url()}"' in body


def test_inactive_partner_page_is_404(client, city):
    assert (
        client.get(reverse("network:partner-detail", args=["ehemaliger-verein"])).status_code == 404
    )


def test_partner_page_lists_the_meetings_it_organises(client, city):
    from tests.participation.meeting_factories import make_meeting

    response = client.get(city["a"].get_absolute_url())
    assert response.context["meetings"] == []
    assert "Zurzeit keine Treffen." in response.content.decode()
    meeting = make_meeting(area=city["south"], title="Erzählcafé", organiser_partner=city["a"])
    body = client.get(city["a"].get_absolute_url()).content.decode()
    assert "Erzählcafé" in body
    assert meeting.get_absolute_url() in body


def test_html_is_escaped_and_bad_urls_never_become_links(client, city):
    from network.models import Partner

    Partner.objects.filter(pk=city["a"].pk).update(
        description='<script>alert("x")</script>', name="<b>Fett</b>"
    )
    body = client.get(city["a"].get_absolute_url()).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "<b>Fett</b>" not in body


def test_safe_url_filter():
    from network.templatetags.network_tags import safe_url

    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.org",
        "java\nscript:alert(1)",
        "http:/no-host",
        None,
        "",
    ]:
        assert safe_url(bad) == ""


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["partner-list", "network-picture"])
def test_query_count_does_not_grow(client, name):
    south = make_area("Südstadt")
    first = [make_partner(f"A {i}", areas=[south]) for i in range(2)]
    make_cooperation(*first)
    few = _count(client, reverse(f"network:{name}"))
    more = [make_partner(f"B {i}", kind="social", areas=[south]) for i in range(25)]
    for left, right in zip(more, more[1:], strict=False):
        make_cooperation(left, right)
    make_manager(south)
    make_manager(south)
    assert _count(client, reverse(f"network:{name}")) == few


def test_query_count_detail_and_area_picture(client):
    south = make_area("Südstadt")
    partner = make_partner("Mitte", areas=[south])
    other = make_partner("Andere", areas=[south])
    make_cooperation(partner, other)
    detail = _count(client, partner.get_absolute_url())
    area_url = reverse("network:area-network-picture", kwargs={"slug": south.slug})
    _count(client, area_url)  # builds this process's area tree (once per tree version)
    picture = _count(client, area_url)
    for i in range(10):
        extra = make_partner(f"C {i}", areas=[south])
        make_cooperation(partner, extra, other)
        make_contact(partner, public=True)
    assert _count(client, partner.get_absolute_url()) == detail
    assert _count(client, area_url) == picture
