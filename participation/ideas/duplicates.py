"""Merging an idea into an earlier one that says the same (managers, in the admin)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from quartier import fragments

from .models import Answer, Idea, ModerationAction, Support
from .services import _role_label, ensure_may_moderate, log_decision


def _recount_supports(pks):
    count = (
        Support.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Idea.objects.filter(pk__in=pks).update(
        support_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    )


@transaction.atomic
def idea_mark_duplicate(*, idea, original, by):
    """Mark `idea` as a duplicate of the public idea `original`.

    Supports move to the original unless the person supports it already (one support per
    person stays true), both counters are recounted in the same transaction, both ideas get a
    public answer, the duplicate leaves the lists (its page stays, linking to the original) and
    the moderation log records it. Only staff for the duplicate's area may do this.
    """
    locked = {
        row.pk: row
        for row in Idea.objects.select_for_update().filter(pk__in=[idea.pk, original.pk])
    }
    idea, original = locked.get(idea.pk), locked.get(original.pk)
    if idea is None or original is None or idea.pk == original.pk:
        raise ValidationError(_("Ein Beitrag kann nicht mit sich selbst zusammengeführt werden."))
    ensure_may_moderate(user=by, idea=idea)
    if not idea.is_public:
        raise ValidationError(_("Nur veröffentlichte Beiträge können zusammengeführt werden."))
    if idea.duplicate_of_id:
        raise ValidationError(_("Dieser Beitrag ist schon mit einem anderen zusammengeführt."))
    if not original.is_public or original.duplicate_of_id:
        raise ValidationError(
            _("Der ursprüngliche Beitrag muss veröffentlicht und selbst kein Doppel sein.")
        )

    already = Support.objects.filter(idea=original, user__isnull=False).values("user_id")
    moved = (
        Support.objects.filter(idea=idea, user__isnull=False)
        .exclude(user_id__in=already)
        .update(idea=original)
    )
    _recount_supports([idea.pk, original.pk])
    # answers of older merges of this idea follow to the original as well
    older = list(Idea.objects.filter(duplicate_of=idea).values_list("pk", flat=True))
    Idea.objects.filter(pk__in=older).update(duplicate_of=original)
    fragments.ideas_changed(older)  # their pages now link to the original (no signal)

    role = _role_label(by)
    Answer.objects.bulk_create(
        [
            Answer(
                idea=idea,
                text=_(
                    "Diesen Vorschlag gibt es schon: „%(title)s“. Wir haben beide Beiträge "
                    "zusammengeführt; Unterstützungen zählen jetzt dort, und dort geht es weiter."
                )
                % {"title": original.title},
                status_from=idea.status,
                status_to=idea.status,
                author=by,
                author_role=role,
            ),
            Answer(
                idea=original,
                text=_(
                    "Der gleichartige Beitrag „%(title)s“ wurde mit diesem zusammengeführt "
                    "(%(count)d Unterstützung(en) übernommen)."
                )
                % {"title": idea.title, "count": moved},
                status_from=original.status,
                status_to=original.status,
                author=by,
                author_role=role,
            ),
        ]
    )
    idea.duplicate_of = original
    idea.save(update_fields=["duplicate_of", "updated_at"])
    Idea.objects.filter(pk=original.pk).update(updated_at=idea.updated_at)
    log_decision(
        actor=by, action=ModerationAction.MARK_DUPLICATE, idea=idea, note=f"→ #{original.pk}"
    )
    log_decision(
        actor=by,
        action=ModerationAction.MERGE_DUPLICATE,
        idea=original,
        note=f"← #{idea.pk} ({moved})",
    )
    idea.refresh_from_db()
    return idea
