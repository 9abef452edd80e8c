"""Which rows django-auditlog records, and how each leads to an area (for scoping the log).

Staff decisions on ideas, comments and mood comments, and report downloads, are written to
the moderation log by the services (participation.ideas.services.log_decision). Changes staff
make to other rows (meetings, registrations, partners, join requests, areas and their splits,
assignments, topics, legal pages, accounts) are recorded by django-auditlog, only in staff
requests and in management commands (quartier.middleware.StaffAuditMiddleware). Personal data
of residents and contacts is masked; area boundaries are left out (large, and their change is
recorded as the area's change of validity when it is split).
"""

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps


@dataclass(frozen=True)
class Audited:
    label: str  # app_label.ModelName
    area_path: str | None  # lookup from the model to Area; None: coordination's business only
    options: dict


AUDITED = [
    Audited("participation.Meeting", "area", {"exclude_fields": ["created_at", "updated_at"]}),
    Audited(
        "participation.Registration",
        "meeting__area",
        {"include_fields": ["status", "people", "name", "email", "note"], "mask_fields": ["email"]},
    ),
    Audited("participation.Topic", None, {}),
    Audited("network.Partner", "areas", {"exclude_fields": ["name_key", "updated_at"]}),
    Audited("network.Cooperation", "areas", {}),
    Audited(
        "network.JoinRequest",
        "areas",
        {"include_fields": ["status", "decline_reason", "partner", "handled_by"]},
    ),
    Audited(
        "network.ContactPerson",
        "partner__areas",
        {"exclude_fields": ["user"], "mask_fields": ["email", "phone"]},
    ),
    Audited(
        "neighbourhoods.Area",
        "pk",
        {"exclude_fields": ["boundary", "created_at", "updated_at"]},
    ),
    Audited("neighbourhoods.AreaAssignment", "area", {}),
    Audited("quartier.LegalPage", None, {"exclude_fields": ["updated_at"]}),
    Audited(
        "quartier.User",
        None,
        {
            "include_fields": ["username", "is_active", "is_staff", "is_superuser", "groups"],
            "m2m_fields": ["groups"],
        },
    ),
]


def register():
    for entry in AUDITED:
        model = apps.get_model(entry.label)
        if not auditlog.contains(model):
            auditlog.register(model, **entry.options)


def audited_models():
    """[(model, area_path)] of every audited model."""
    return [(apps.get_model(entry.label), entry.area_path) for entry in AUDITED]
