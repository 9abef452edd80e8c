"""Who may do what in participation: small predicates composed into named permissions.

Area rules (coordination, quarter managers and the areas they manage, with sub-areas and
successors) come from `neighbourhoods.permissions`; views, admin classes and services of every
feature ask the named permissions here and never re-derive them. Scoping *which rows* staff see
stays in the querysets (`<Model>.objects.managed_by(user)`).
"""

from neighbourhoods.permissions import is_area_staff, is_coordination, is_manager, manages_area

# --- predicates ----------------------------------------------------------------------------


def is_signed_in(user):
    return bool(getattr(user, "is_authenticated", False))


def is_active_staff(user):
    """May use the admin at all (Django's `is_staff`), and the account is active."""
    return bool(getattr(user, "is_staff", False)) and user.is_active


# --- residents, on an idea's page -----------------------------------------------------------


def can_comment(user, idea):
    """Accounts only, on public ideas."""
    return is_signed_in(user) and idea.is_public


def can_support(user, idea):
    """Accounts only (one support per account and idea), on public ideas; also withdrawing."""
    return is_signed_in(user) and idea.is_public


def can_flag(user, idea):
    """Anyone may report a public idea or one of its comments (visitors too)."""
    return idea.is_public


# --- staff ---------------------------------------------------------------------------------


def can_moderate_in(user, area):
    """Staff who manage `area` (coordination: every area) — moderate, answer, enter ideas."""
    return is_active_staff(user) and manages_area(user, area)


def can_moderate(user, idea):
    """Staff for the idea's area; never on their own contribution (see
    `participation.ideas.services.ensure_may_moderate`, which also says why)."""
    return can_moderate_in(user, idea.area)


def can_work_in_admin(user):
    """Area staff: coordination and quarter managers (also before any area is assigned; they
    find nothing until it is)."""
    return is_area_staff(user)


def can_view_area_data(user):
    """Staff who are coordination or manage at least one area: the reports, the topic list,
    registrations of their meetings."""
    return is_active_staff(user) and is_manager(user)


def can_view_reports(user):
    return can_view_area_data(user)


def can_view_topics(user):
    return can_view_area_data(user)


def can_edit_topics(user):
    """The managed list of topics is kept by coordination."""
    return is_active_staff(user) and is_coordination(user)


def can_view_subscriptions(user):
    """Subscriptions hold e-mail addresses: coordination only."""
    return is_active_staff(user) and is_coordination(user)
