"""The one readable log of staff actions: decisions from the moderation log and changed rows
from django-auditlog, merged by time, scoped to the user's areas in the query itself.

A quarter manager sees entries about their areas (and sub-areas) and their own entries;
coordination sees all. Rows of models without an area (topics, legal pages, accounts) and
rows deleted since are coordination's (or the actor's own). The page needs a bounded number of
queries: the merged ids (one UNION query and its count), both kinds of entries, and one query
per kind of audited row on the page for its areas.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, IntegerField, Q, Value
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.permissions import areas_managed_by, is_coordination
from neighbourhoods.selectors import area_tree
from participation.ideas.models import ModerationLog

from .registry import audited_models

DECISION, CHANGE = "decision", "change"
CHANGE_LABELS = {
    LogEntry.Action.CREATE: _("%(model)s angelegt"),
    LogEntry.Action.UPDATE: _("%(model)s geändert"),
    LogEntry.Action.DELETE: _("%(model)s gelöscht"),
    LogEntry.Action.ACCESS: _("%(model)s abgerufen"),
}


@dataclass
class Row:
    """One line of the log, whatever its source."""

    when: object
    actor: object
    action: str
    subject: str
    url: str = ""
    areas: list = field(default_factory=list)
    details: list = field(default_factory=list)  # [(label, text)]


@dataclass(frozen=True)
class LogFilter:
    area: object = None  # an Area (with its sub-areas)
    actor: object = None  # a User
    date_from: object = None
    date_to: object = None  # inclusive


def _change_scope(area_ids, user):
    """Q for auditlog entries about rows in `area_ids` (None: every entry)."""
    if area_ids is None:
        return Q()
    scope = Q(pk__in=[])
    for model, path in audited_models():
        if path is None:
            continue
        in_areas = model._default_manager.filter(**{f"{path}__in": area_ids}).values("pk")
        content_type = ContentType.objects.get_for_model(model)
        scope |= Q(content_type=content_type, object_id__in=in_areas)
    if user is not None:
        scope |= Q(actor=user)
    return scope


def _decision_scope(area_ids, user):
    if area_ids is None:
        return Q()
    scope = Q(area__in=area_ids) | Q(idea__area__in=area_ids)
    if user is not None:
        scope |= Q(actor=user)
    return scope


def log_ids(user, log_filter=LogFilter(), *, area_ids=None):
    """A UNION queryset of (kind, pk, when) of the entries `user` may read, newest first.
    `area_ids`: the user's areas if known already (ignored for coordination)."""
    if is_coordination(user):
        area_ids = None
    elif area_ids is None:
        area_ids = list(areas_managed_by(user).values_list("pk", flat=True))
    decisions = ModerationLog.objects.filter(_decision_scope(area_ids, user))
    changes = LogEntry.objects.filter(
        _change_scope(area_ids, user),
        content_type__in=[
            ContentType.objects.get_for_model(model) for model, _path in audited_models()
        ],
    )
    if log_filter.area is not None:
        chosen = list(area_tree().descendant_ids(log_filter.area, with_successors=True))
        decisions = decisions.filter(_decision_scope(chosen, None))
        changes = changes.filter(_change_scope(chosen, None))
    if log_filter.actor is not None:
        decisions = decisions.filter(actor=log_filter.actor)
        changes = changes.filter(actor=log_filter.actor)
    if log_filter.date_from is not None:
        decisions = decisions.filter(created_at__date__gte=log_filter.date_from)
        changes = changes.filter(timestamp__date__gte=log_filter.date_from)
    if log_filter.date_to is not None:
        decisions = decisions.filter(created_at__date__lte=log_filter.date_to)
        changes = changes.filter(timestamp__date__lte=log_filter.date_to)
    decisions = (
        decisions.order_by()
        .annotate(kind=Value(DECISION, output_field=CharField()), when=F("created_at"))
        .values_list("kind", "pk", "when")
    )
    changes = (
        changes.order_by()
        .annotate(kind=Value(CHANGE, output_field=CharField()), when=F("timestamp"))
        .values_list("kind", "pk", "when")
    )
    return decisions.union(changes, all=True).order_by("-when", "-pk")


def log_rows(page_ids):
    """Readable rows for the (kind, pk, when) tuples of one page, in the same order."""
    decision_ids = [pk for kind, pk, _when in page_ids if kind == DECISION]
    change_ids = [pk for kind, pk, _when in page_ids if kind == CHANGE]
    decisions = {
        entry.pk: _decision_row(entry)
        for entry in ModerationLog.objects.filter(pk__in=decision_ids).select_related(
            "actor", "idea__area", "area", "comment"
        )
    }
    entries = list(
        LogEntry.objects.filter(pk__in=change_ids).select_related("actor", "content_type")
    )
    areas = _areas_of(entries)
    changes = {entry.pk: _change_row(entry, areas) for entry in entries}
    rows = []
    for kind, pk, _when in page_ids:
        row = (decisions if kind == DECISION else changes).get(pk)
        if row is not None:
            rows.append(row)
    return rows


def _decision_row(entry):
    subject, url = "", ""
    if entry.idea_id:
        subject = entry.idea.title
        url = reverse("admin:participation_idea_change", args=[entry.idea_id])
    area = entry.area or (entry.idea.area if entry.idea_id else None)
    details = []
    if entry.comment_id:
        details.append((_("Kommentar"), entry.comment.text[:200]))
    if entry.note_display:
        details.append((_("Notiz"), entry.note_display))
    return Row(
        when=entry.created_at,
        actor=entry.actor,
        action=entry.get_action_display(),
        subject=subject,
        url=url,
        areas=[area.name] if area else [],
        details=details,
    )


def _areas_of(entries):
    """{(content_type_id, object_id): [area names]} for the audited rows of these entries, in
    one UNION query over the kinds of rows on the page."""
    wanted = {}
    for entry in entries:
        if entry.object_id is not None:
            wanted.setdefault(entry.content_type_id, set()).add(entry.object_id)
    parts = []
    for model, path in audited_models():
        content_type = ContentType.objects.get_for_model(model)
        ids = wanted.get(content_type.pk)
        if not ids or path is None:
            continue
        parts.append(
            model._default_manager.filter(pk__in=ids)
            .order_by()
            .annotate(
                audit_type=Value(content_type.pk, output_field=IntegerField()),
                audit_area=F("name" if path == "pk" else f"{path}__name"),
            )
            .values_list("audit_type", "pk", "audit_area")
        )
    result = {}
    if parts:
        for kind, pk, area_name in parts[0].union(*parts[1:], all=True):
            if area_name:
                result.setdefault((kind, pk), []).append(area_name)
    return result


def _change_row(entry, areas):
    model = entry.content_type.model_class()
    verbose = model._meta.verbose_name if model else entry.content_type.model
    url = ""
    if model is not None and entry.action != LogEntry.Action.DELETE and entry.object_id:
        try:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                args=[entry.object_id],
            )
        except NoReverseMatch:
            url = ""
    return Row(
        when=entry.timestamp,
        actor=entry.actor,
        action=CHANGE_LABELS.get(entry.action, CHANGE_LABELS[LogEntry.Action.UPDATE])
        % {"model": verbose},
        subject=entry.object_repr,
        url=url,
        areas=sorted(set(areas.get((entry.content_type_id, entry.object_id), []))),
        details=_change_details(model, entry) if entry.action == LogEntry.Action.UPDATE else [],
    )


def _change_details(model, entry):
    """[(field label, "old → new")] with the fields' names and choices in the user's language."""
    details = []
    for name, values in (entry.changes_dict or {}).items():
        label, choices = name, {}
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # a field removed since
                model_field = None
            if model_field is not None:
                label = getattr(model_field, "verbose_name", name)
                choices = {str(key): value for key, value in (model_field.choices or [])}
        if isinstance(values, dict):  # many-to-many: {"operation": "add", "objects": [...]}
            operation = {"add": "+", "delete": "−"}.get(values.get("operation"), "")
            text = f"{operation} " + ", ".join(str(item) for item in values.get("objects", []))
        else:
            old, new = (list(values) + ["", ""])[:2]
            text = f"{_value(old, choices)} → {_value(new, choices)}"
        details.append((str(label).capitalize() if label == name else label, text))
    return details


def _value(value, choices):
    if value in (None, "None", ""):
        return "–"
    if value in ("True", "False", True, False):
        return str(_("ja") if value in ("True", True) else _("nein"))
    value = str(choices.get(str(value), value))
    return value if len(value) <= 140 else value[:139] + "…"
