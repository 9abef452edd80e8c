"""What participation knows about an account, for "Meine Beiträge", export and deletion."""

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import area_geometry
from quartier import fragments
from quartier.fragments import area_scope

from .models import (
    PUBLIC_STATUSES,
    Answer,
    Comment,
    Flag,
    Idea,
    IdeaStatus,
    ModerationLog,
    Support,
)


def export(user):
    return {
        "ideas": [
            {
                "id": idea.pk,
                "kind": idea.kind,
                "title": idea.title,
                "text": idea.text,
                "topic": idea.topic.name,
                "area": idea.area.name,
                "location": idea.location,
                "photo_alt": idea.photo_alt,
                "status": idea.status,
                "channel": idea.channel,
                "created_at": idea.created_at.isoformat(),
            }
            for idea in Idea.objects.filter(author=user)
            .select_related("topic", "area")
            .defer(*area_geometry("area"))
        ],
        "comments": [
            {
                "idea": c.idea_id,
                "text": c.text,
                "hidden": c.is_hidden,
                "created_at": c.created_at.isoformat(),
            }
            for c in Comment.objects.filter(author=user)
        ],
        "supports": [
            {"idea": s.idea_id, "notify": s.notify, "created_at": s.created_at.isoformat()}
            for s in Support.objects.filter(user=user)
        ],
        "flags": [
            {
                "idea": f.idea_id,
                "comment": f.comment_id,
                "reason": f.reason,
                "created_at": f.created_at.isoformat(),
            }
            for f in Flag.objects.filter(user=user)
        ],
    }


@transaction.atomic
def anonymise(user):
    """Contributions stay; the link to the account, its name and e-mail go."""
    Idea.objects.filter(author=user).update(author=None, author_name="", author_email="")
    if user.email:
        Idea.objects.filter(author_email__iexact=user.email).update(author_name="", author_email="")
    Comment.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).update(user=None, notify=False)
    Flag.objects.filter(user=user).update(user=None)


# --- "Meine Beiträge" (quartier.personal_data.ContributionsSection) ---------------------------

WHAT_HAPPENS = {
    IdeaStatus.PENDING: _(
        "Das Quartiersteam prüft Ihren Beitrag und veröffentlicht ihn dann – meist innerhalb "
        "weniger Tage."
    ),
    IdeaStatus.PUBLISHED: _(
        "Veröffentlicht: Andere können ihn lesen, unterstützen und kommentieren. Das "
        "Quartiersteam antwortet hier, sobald es Neues gibt."
    ),
    IdeaStatus.UNDER_REVIEW: _("Das Quartiersteam klärt gerade, ob und wie es weitergeht."),
    IdeaStatus.PLANNED: _("Die Umsetzung ist geplant."),
    IdeaStatus.REALISED: _("Umgesetzt – danke für Ihren Anstoß!"),
    IdeaStatus.NOT_FEASIBLE: _("Leider nicht umsetzbar. Die Antwort sagt, warum."),
    IdeaStatus.REJECTED: _("Nicht veröffentlicht."),
}


# what an own idea's row shows (and `is_public` needs); not its text, place or photo
OWN_IDEA_FIELDS = (
    "pk",
    "kind",
    "status",
    "title",
    "is_hidden",
    "confirmed_at",
    "created_at",
    "support_count",
    "comment_count",
    "topic",
    "topic__name",
    "area",
    "area__name",
    "duplicate_of",
    "duplicate_of__title",
)


def ideas(user):
    """The account's own contributions, newest first, with what their rows show: status,
    area, topic, the idea merged into and every answer."""
    return (
        Idea.objects.filter(author=user)
        .select_related("topic", "area", "duplicate_of")
        .only(*OWN_IDEA_FIELDS)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("created_at", "pk")))
        .order_by("-created_at", "-pk")
    )


def ideas_context(user, rows):
    """Each of these contributions with its status, what that means and every answer: "Was
    ist mit meiner Idee passiert?" (one more query when one of them was rejected)."""
    rejected = [idea.pk for idea in rows if idea.status == IdeaStatus.REJECTED]
    reasons = {}
    if rejected:
        # The reason was mailed to the author; it is theirs to read again here.
        for idea_id, note in ModerationLog.objects.filter(
            idea_id__in=rejected, action="reject"
        ).values_list("idea_id", "note"):
            reasons[idea_id] = note
    for idea in rows:
        idea.what_happens = WHAT_HAPPENS.get(idea.status, "")
        idea.reject_reason = reasons.get(idea.pk, "")
    return {"anchor": "ideen", "heading": _("Meine Ideen, Stärken und Schwächen"), "ideas": rows}


# what a supported idea's row shows (and `is_public` needs)
SUPPORT_ROW_FIELDS = (
    "pk",
    "notify",
    "created_at",
    "idea",
    "idea__kind",
    "idea__status",
    "idea__title",
    "idea__support_count",
    "idea__is_hidden",
    "idea__confirmed_at",
    "idea__area",
    "idea__area__name",
)


def supports(user):
    """The public contributions the account supports, newest support first."""
    return (
        Support.objects.filter(
            user=user,
            idea__status__in=PUBLIC_STATUSES,
            idea__is_hidden=False,
            idea__confirmed_at__isnull=False,
        )
        .select_related("idea", "idea__area")
        .only(*SUPPORT_ROW_FIELDS)
        .order_by("-created_at", "-pk")
    )


def supports_context(user, rows):
    """Supported contributions with where they stand now.

    Each row is kept (quartier.fragments) under its idea's area — supports, answers and status
    changes of the idea raise that version — so the rows cost two cache round trips; only rows
    not kept are rendered (one more query for their newest answers). A row is the support's
    own (its pk and whether news are mailed are in the key)."""
    entries = {
        support.pk: (
            f"mine-support:{support.pk}:{int(support.notify)}",
            (area_scope(support.idea.area_id), "app:neighbourhoods"),
        )
        for support in rows
    }
    by_pk = {support.pk: support for support in rows}

    def build(missing):
        ideas = {by_pk[pk].idea_id for pk in missing}
        latest = {}
        for answer in Answer.objects.filter(idea_id__in=ideas).order_by("created_at", "pk"):
            latest[answer.idea_id] = answer
        template = get_template("participation/ideas/_mine_support_row.html")
        return {
            pk: template.render({"support": by_pk[pk], "latest": latest.get(by_pk[pk].idea_id)})
            for pk in missing
        }

    kept = fragments.cached_many(entries, build, per_language=True) if rows else {}
    return {
        "anchor": "unterstuetzt",
        "heading": _("Von mir unterstützt"),
        "rows": [kept[support.pk] for support in rows],
    }


# what a comment's row shows of its idea (and `is_public` needs)
COMMENT_ROW_FIELDS = (
    "pk",
    "text",
    "language",
    "is_hidden",
    "created_at",
    "idea",
    "idea__title",
    "idea__status",
    "idea__is_hidden",
    "idea__confirmed_at",
)


def comments(user):
    return (
        Comment.objects.filter(author=user)
        .select_related("idea")
        .only(*COMMENT_ROW_FIELDS)
        .order_by("-created_at", "-pk")
    )


def comments_context(user, rows):
    return {"anchor": "kommentare", "heading": _("Meine Kommentare"), "comments": rows}
