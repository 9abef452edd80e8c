"""Which rows django-auditlog records, and how each leads to an area (for scoping the log).

Staff decisions on ideas, comments and mood comments, and report downloads, are written to
the moderation log by the services (participation.ideas.services.log_decision). Changes staff
make to other rows (meetings, registration status, partners, join requests, areas and their
splits, assignments, topics, legal pages) are recorded by django-auditlog, only in staff
requests and in management commands (quartier.middleware.StaffAuditMiddleware). Residents'
accounts are not audited (the cron job deleting unconfirmed ones would keep their names);
contacts' e-mail addresses and phone numbers are masked; area boundaries are left out (large,
and a split shows as new areas and the old one's validity).
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
    # A registration's name and e-mail address are the resident's: only what staff decide.
    Audited("participation.Registration", "meeting__area", {"include_fields": ["status"]}),
    Audited("participation.Topic", None, {}),
    Audited("participation.Office", None, {}),
    Audited("participation.Measure", "area", {"exclude_fields": ["created_at", "updated_at"]}),
    Audited(
        "participation.Newsletter",
        "area",
        {"include_fields": ["area", "subject", "body", "sent_at", "sent_by"]},
    ),
    Audited("network.PartnerEvent", "partner__areas", {"include_fields": ["status", "title"]}),
    Audited(
        "network.CalendarFeed",
        "partner__areas",
        {"include_fields": ["url", "approved_at", "is_active"]},
    ),
    Audited("participation.Body", "area", {"exclude_fields": ["created_at"]}),
    Audited("participation.Membership", "body__area", {}),
    Audited("participation.Election", "body__area", {}),
    Audited("participation.BodySession", "body__area", {}),
    Audited("participation.AgendaItem", "session__body__area", {}),
    Audited("participation.Fund", "area", {"exclude_fields": ["created_at"]}),
    Audited("participation.FundTranche", "fund__area", {}),
    # an application's steps are its own log (ApplicationEvent); here what staff changed
    Audited(
        "participation.FundApplication",
        "area",
        {"include_fields": ["status", "approved_amount", "conditions", "decline_reason"]},
    ),
    Audited("participation.Vote", "application__area", {}),
    Audited("participation.Payment", "application__area", {}),
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
]


def register():
    for entry in AUDITED:
        model = apps.get_model(entry.label)
        if not auditlog.contains(model):
            auditlog.register(model, **entry.options)


def audited_models():
    """[(model, area_path)] of every audited model."""
    return [(apps.get_model(entry.label), entry.area_path) for entry in AUDITED]
