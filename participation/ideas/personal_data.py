"""What participation knows about an account, for "Meine Beiträge", export and deletion."""

from django.db import transaction

from neighbourhoods.models import area_geometry

from .models import Comment, Flag, Idea, Support


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


def contributions(user):
    items = [
        {
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "date": idea.created_at,
            "kind": idea.get_kind_display(),
            "status": idea.get_status_display(),
        }
        for idea in Idea.objects.filter(author=user)
    ]
    items += [
        {
            "title": comment.idea.title,
            "url": comment.idea.get_absolute_url() + "#kommentare",
            "date": comment.created_at,
            "kind": "Kommentar",
        }
        for comment in Comment.objects.filter(author=user).select_related("idea")
    ]
    return sorted(items, key=lambda item: item["date"], reverse=True)
