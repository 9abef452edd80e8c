import pytest
from django.urls import reverse

from network.models import Partner, PartnerChange
from tests.factories import make_area, make_coordination, make_manager, make_user
from tests.network.factories import make_cooperation, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    south = make_area("Südstadt")
    west = make_area("Südstadt-West", parent=south)
    north = make_area("Nordstadt")
    own = make_partner("Eigener", areas=[west])
    other = make_partner("Fremder", areas=[north])
    own2 = make_partner("Eigener Zwei", areas=[south])
    return {
        "south": south,
        "north": north,
        "own": own,
        "other": other,
        "own_coop": make_cooperation(own, own2, title="Eigene Kooperation"),
        "mixed_coop": make_cooperation(own, other, title="Gemischte Kooperation"),
        "manager": make_manager(south),
    }


def test_manager_sees_only_partners_of_their_areas(client, setup):
    client.force_login(setup["manager"])
    body = client.get(reverse("admin:network_partner_changelist")).content.decode()
    assert "Eigener" in body and "Fremder" not in body
    own = reverse("admin:network_partner_change", args=[setup["own"].pk])
    assert client.get(own).status_code == 200
    other = reverse("admin:network_partner_change", args=[setup["other"].pk])
    assert client.get(other).status_code in (302, 403, 404)
    assert client.post(other, {"name": "Gekapert"}).status_code in (302, 403, 404)
    setup["other"].refresh_from_db()
    assert setup["other"].name == "Fremder"
    delete = reverse("admin:network_partner_delete", args=[setup["other"].pk])
    assert client.post(delete, {"post": "yes"}).status_code in (302, 403, 404)
    assert Partner.objects.filter(pk=setup["other"].pk).exists()


def test_manager_area_choices_are_limited(client, setup):
    client.force_login(setup["manager"])
    response = client.get(reverse("admin:network_partner_add"))
    choices = list(response.context["adminform"].form.fields["areas"].queryset)
    assert setup["north"] not in choices and setup["south"] in choices


def test_manager_cannot_attach_another_area(client, setup):
    client.force_login(setup["manager"])
    response = client.post(
        reverse("admin:network_partner_add"),
        {
            "name": "Neu",
            "slug": "neu",
            "kind": "other",
            "areas": [setup["north"].pk],
            "is_active": "on",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "areas" in response.context["adminform"].form.errors
    assert not Partner.objects.filter(name="Neu").exists()


def test_admin_refuses_javascript_website(client, setup):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:network_partner_add"),
        {
            "name": "Neu",
            "slug": "neu",
            "kind": "other",
            "website": "javascript:alert(1)",
            "is_active": "on",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "website" in response.context["adminform"].form.errors


def test_admin_refuses_duplicate_name(client, setup):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:network_partner_add"),
        {
            "name": "EIGENER",
            "slug": "eigener-2",
            "kind": "other",
            "is_active": "on",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors


def test_manager_sees_only_cooperations_among_their_partners(client, setup):
    client.force_login(setup["manager"])
    body = client.get(reverse("admin:network_cooperation_changelist")).content.decode()
    assert "Eigene Kooperation" in body and "Gemischte Kooperation" not in body
    mixed = reverse("admin:network_cooperation_change", args=[setup["mixed_coop"].pk])
    assert client.get(mixed).status_code in (302, 403, 404)


def test_cooperation_admin_needs_two_partners(client, setup):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:network_cooperation_add"),
        {"title": "Allein", "kind": "project", "partners": [setup["own"].pk]},
    )
    assert response.status_code == 200
    assert "partners" in response.context["adminform"].form.errors


def test_coordination_sees_everything(client, setup):
    client.force_login(make_coordination())
    body = client.get(reverse("admin:network_partner_changelist")).content.decode()
    assert "Eigener" in body and "Fremder" in body


def test_residents_have_no_admin_access(client, setup):
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse("admin:network_partner_changelist")).status_code == 403


def test_change_log_is_visible_to_managing_staff_only(client, setup):
    PartnerChange.objects.create(partner=setup["other"], changes={"phone": ["", "1"]})
    client.force_login(setup["manager"])
    body = client.get(reverse("admin:network_partnerchange_changelist")).content.decode()
    assert "Fremder" not in body
    client.force_login(make_coordination())
    body = client.get(reverse("admin:network_partnerchange_changelist")).content.decode()
    assert "Fremder" in body


def test_manager_edit_keeps_areas_outside_their_scope(client, setup):
    shared = make_partner("Geteilt", areas=[setup["south"], setup["north"]])
    client.force_login(setup["manager"])
    response = client.post(
        reverse("admin:network_partner_change", args=[shared.pk]),
        {
            "name": "Geteilt neu",
            "slug": shared.slug,
            "kind": "other",
            "areas": [setup["south"].pk],
            "is_active": "on",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Geteilt neu"
    assert set(shared.areas.all()) == {setup["south"], setup["north"]}
