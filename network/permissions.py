"""Who may do what in the network. Views and the admin ask these predicates.

- Coordination: everything, including join requests.
- A quarter manager: partners and cooperations serving their areas (and sub-areas).
- A partner account (a ContactPerson linked to a user): edit that partner's public entry.
"""

from neighbourhoods.permissions import is_area_staff, is_coordination

from .models import ContactPerson, Cooperation, Partner


def may_handle_join_requests(user):
    return bool(getattr(user, "is_staff", False)) and is_coordination(user)


def partners_managed_by(user):
    if not is_area_staff(user):
        return Partner.objects.none()
    return Partner.objects.managed_by(user)


def cooperations_managed_by(user):
    """Cooperations whose partners are all managed by the user (coordination: all)."""
    if not is_area_staff(user):
        return Cooperation.objects.none()
    if is_coordination(user):
        return Cooperation.objects.all()
    managed = partners_managed_by(user).values("pk")
    return (
        Cooperation.objects.filter(partners__in=managed)
        .exclude(partners__in=Partner.objects.exclude(pk__in=managed).values("pk"))
        .distinct()
    )


def partners_editable_by_account(user):
    """Partners whose public entry `user` may edit as their linked contact person."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Partner.objects.none()
    return Partner.objects.filter(
        pk__in=ContactPerson.objects.filter(user=user).values("partner_id")
    )


def may_edit_partner_entry(user, partner):
    return partners_editable_by_account(user).filter(pk=partner.pk).exists()
