"""What participation knows about an account, for "Meine Beiträge", export and deletion."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import area_geometry

from .models import Answer, Comment, Flag, Idea, IdeaStatus, ModerationLog, Support


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


def _with_answers(ideas):
    return ideas.select_related("topic", "area", "duplicate_of").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("created_at", "pk"))
    )


def ideas_context(user):
    """The account's own contributions, each with its status, what that means and every
    answer: "Was ist mit meiner Idee passiert?" (three queries)."""
    ideas = list(_with_answers(Idea.objects.filter(author=user)).order_by("-created_at", "-pk"))
    rejected = [idea.pk for idea in ideas if idea.status == IdeaStatus.REJECTED]
    reasons = {}
    if rejected:
        # The reason was mailed to the author; it is theirs to read again here.
        for idea_id, note in ModerationLog.objects.filter(
            idea_id__in=rejected, action="reject"
        ).values_list("idea_id", "note"):
            reasons[idea_id] = note
    for idea in ideas:
        idea.what_happens = WHAT_HAPPENS.get(idea.status, "")
        idea.reject_reason = reasons.get(idea.pk, "")
    return {
        "anchor": "ideen",
        "heading": _("Meine Ideen, Stärken und Schwächen"),
        "count": len(ideas),
        "answered": sum(1 for idea in ideas if idea.answers.all()),
        "ideas": ideas,
    }


def supports_context(user):
    """Contributions the account supports, with where they stand now (two queries)."""
    supports = list(
        Support.objects.filter(user=user)
        .select_related("idea", "idea__area")
        .prefetch_related(
            Prefetch("idea__answers", queryset=Answer.objects.order_by("-created_at", "-pk"))
        )
        .order_by("-created_at", "-pk")
    )
    supports = [support for support in supports if support.idea.is_public]
    return {
        "anchor": "unterstuetzt",
        "heading": _("Von mir unterstützt"),
        "count": len(supports),
        "supports": supports,
    }


def comments_context(user):
    comments = list(
        Comment.objects.filter(author=user).select_related("idea").order_by("-created_at", "-pk")
    )
    return {
        "anchor": "kommentare",
        "heading": _("Meine Kommentare"),
        "count": len(comments),
        "comments": comments,
    }
