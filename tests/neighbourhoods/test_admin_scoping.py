"""The contract of `neighbourhoods.admin_scoping.AreaScopedAdminMixin`, role by role, on three
admins that say differently where their area is: meetings ("area"), registrations
("meeting__area") and partners (the many-to-many "areas")."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from neighbourhoods.permissions import MANAGER_GROUP
from participation.meetings.models import Registration
from tests.factories import make_area, make_coordination, make_manager, make_user
from tests.network.factories import make_partner
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    south = make_area("Südstadt")
    park = make_area("Am Park", parent=south)
    successor = make_area("Südstadt-Neu")
    successor.predecessors.add(south)
    north = make_area("Nordstadt")
    objects = {}
    for area in (south, park, successor, north):
        meeting = make_meeting(area, title=f"Treffen {area.name}")
        objects[area.name] = {
            "meeting": meeting,
            "registration": Registration.objects.create(
                meeting=meeting, name=f"Person {area.name}", email="p@example.org"
            ),
            "partner": make_partner(f"Verein {area.name}", areas=[area]),
        }
    return {"south": south, "north": north, "objects": objects}


ADMINS = {
    "meeting": "participation_meeting",
    "registration": "participation_registration",
    "partner": "network_partner",
}


def reachable(client, world):
    """{(kind, area name): status of the change page}."""
    return {
        (kind, name): client.get(reverse(f"admin:{ADMINS[kind]}_change", args=[obj.pk])).status_code
        for name, objects in world["objects"].items()
        for kind, obj in objects.items()
    }


def test_manager_reaches_own_area_sub_areas_and_successors_only(client, world):
    client.force_login(make_manager(world["south"]))
    statuses = reachable(client, world)
    for (kind, name), status in statuses.items():
        assert status == (302 if name == "Nordstadt" else 200), (kind, name, status)
    page = client.get(reverse("admin:network_partner_changelist")).content.decode()
    assert "Verein Am Park" in page and "Verein Nordstadt" not in page
    form = client.get(reverse("admin:participation_meeting_add")).context["adminform"].form
    assert set(form.fields["area"].queryset.values_list("name", flat=True)) == {
        "Südstadt",
        "Am Park",
        "Südstadt-Neu",
    }


@pytest.mark.parametrize("coordinator", ["group", "superuser"])
def test_coordination_reaches_everything(client, world, coordinator):
    user = make_coordination() if coordinator == "group" else make_user(is_staff=True)
    if coordinator == "superuser":
        user.is_superuser = True
        user.save()
    client.force_login(user)
    assert set(reachable(client, world).values()) == {200}


def test_manager_group_member_without_areas_finds_nothing(client, world):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    client.force_login(user)
    for admin_name in ADMINS.values():
        response = client.get(reverse(f"admin:{admin_name}_changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
    assert set(reachable(client, world).values()) == {302}


def test_staff_without_a_role_and_inactive_managers_are_refused(client, world):
    client.force_login(make_user(is_staff=True))
    for admin_name in ADMINS.values():
        assert client.get(reverse(f"admin:{admin_name}_changelist")).status_code == 403
    manager = make_manager(world["south"])
    manager.is_active = False
    manager.save()
    client.force_login(manager)
    response = client.get(reverse("admin:participation_meeting_changelist"))
    assert response.status_code == 302  # the admin's log-in page
