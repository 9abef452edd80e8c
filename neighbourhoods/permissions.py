"""Who may act for which area. Every admin and view scopes staff through these functions.

Coordination (a superuser, a member of the "Quartierskoordination" group, or a user with a
coordination assignment) may act for every area. A quarter manager may act for the areas
assigned to them and all their sub-areas, including the successors of a split area.
"""

from .models import Area, AreaAssignment
from .selectors import area_tree

COORDINATION_GROUP = "Quartierskoordination"
MANAGER_GROUP = "Quartiersmanagement"


def is_coordination(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_quartier_is_coordination"):
        user._quartier_is_coordination = (
            user.groups.filter(name=COORDINATION_GROUP).exists()
            or AreaAssignment.objects.filter(
                user=user, role=AreaAssignment.Role.COORDINATION
            ).exists()
        )
    return user._quartier_is_coordination


def is_manager(user):
    if not getattr(user, "is_authenticated", False):
        return False
    if is_coordination(user):
        return True
    if not hasattr(user, "_quartier_is_manager"):
        user._quartier_is_manager = AreaAssignment.objects.filter(
            user=user, role=AreaAssignment.Role.MANAGER
        ).exists()
    return user._quartier_is_manager


def is_area_staff(user):
    """Who works in the admin for areas: active staff who are coordination or quarter managers.

    A member of the Quartiersmanagement group counts before any area is assigned to them: they
    reach the admin and find nothing there until they are.
    """
    if not getattr(user, "is_staff", False) or not user.is_active:
        return False
    if not hasattr(user, "_quartier_is_area_staff"):
        user._quartier_is_area_staff = (
            is_manager(user) or user.groups.filter(name=MANAGER_GROUP).exists()
        )
    return user._quartier_is_area_staff


def areas_managed_by(user):
    """A queryset of the areas `user` may act for (all for coordination, none for others)."""
    if is_coordination(user):
        return Area.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Area.objects.none()
    own = AreaAssignment.objects.filter(user=user).values_list("area_id", flat=True)
    return Area.objects.filter(pk__in=area_tree().descendant_ids(list(own), with_successors=True))


def manages_area(user, area):
    if area is None:
        return is_coordination(user)
    return areas_managed_by(user).filter(pk=area.pk).exists()
