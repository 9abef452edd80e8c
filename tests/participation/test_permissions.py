"""participation.permissions: every role × the states that matter."""

import pytest
from django.contrib.auth.models import AnonymousUser

from participation import permissions
from participation.ideas.models import IdeaStatus
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = two_areas()
    return {
        "north": north,
        "south": south,
        "visitor": AnonymousUser(),
        "resident": make_user("anwohnerin"),
        "plain staff": make_user("technik", is_staff=True),
        "manager here": make_manager(north, username="qm-nord"),
        "manager elsewhere": make_manager(south, username="qm-sued"),
        "coordination": make_coordination("koordination"),
    }


ROLES = [
    "visitor",
    "resident",
    "plain staff",
    "manager here",
    "manager elsewhere",
    "coordination",
]


@pytest.mark.parametrize("role", ROLES)
def test_residents_actions_on_a_public_idea(world, role):
    idea = make_idea(world["north"])
    user = world[role]
    signed_in = role != "visitor"
    assert permissions.can_comment(user, idea) is signed_in
    assert permissions.can_support(user, idea) is signed_in
    assert permissions.can_flag(user, idea) is True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [IdeaStatus.PENDING, IdeaStatus.REJECTED])
def test_nothing_on_an_idea_that_is_not_public(world, role, status):
    idea = make_idea(world["north"], status=status)
    user = world[role]
    assert not permissions.can_comment(user, idea)
    assert not permissions.can_support(user, idea)
    assert not permissions.can_flag(user, idea)


@pytest.mark.parametrize(
    ("role", "moderates"),
    [
        ("visitor", False),
        ("resident", False),
        ("plain staff", False),
        ("manager here", True),
        ("manager elsewhere", False),
        ("coordination", True),
    ],
)
def test_who_moderates_an_idea_of_the_north(world, role, moderates):
    idea = make_idea(world["north"], status=IdeaStatus.PENDING)
    assert permissions.can_moderate(world[role], idea) is moderates
    assert permissions.can_moderate_in(world[role], world["north"]) is moderates


def test_an_inactive_manager_moderates_nothing(world):
    manager = world["manager here"]
    manager.is_active = False
    manager.save()
    assert not permissions.can_moderate_in(manager, world["north"])
    assert not permissions.can_view_reports(manager)


@pytest.mark.parametrize(
    ("role", "reports", "topics", "edit_topics", "subscriptions", "admin"),
    [
        ("visitor", False, False, False, False, False),
        ("resident", False, False, False, False, False),
        ("plain staff", False, False, False, False, False),
        ("manager here", True, True, False, False, True),
        ("manager elsewhere", True, True, False, False, True),
        ("coordination", True, True, True, True, True),
    ],
)
def test_staff_pages(world, role, reports, topics, edit_topics, subscriptions, admin):
    user = world[role]
    assert permissions.can_view_reports(user) is reports
    assert permissions.can_view_topics(user) is topics
    assert permissions.can_edit_topics(user) is edit_topics
    assert permissions.can_view_subscriptions(user) is subscriptions
    assert permissions.can_work_in_admin(user) is admin


def test_a_coordinator_without_the_staff_flag_gets_no_staff_page(world):
    coordinator = world["coordination"]
    coordinator.is_staff = False
    coordinator.save()
    assert not permissions.can_view_reports(coordinator)
    assert not permissions.can_edit_topics(coordinator)
    assert not permissions.can_view_subscriptions(coordinator)
