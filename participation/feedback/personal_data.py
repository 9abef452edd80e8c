"""What the mood barometer knows about an account (quartier.personal_data)."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import area_geometry

from .models import MoodAnswer


def export(user):
    return {
        "mood_answers": [
            {
                "area": answer.area.name,
                "month": answer.month.isoformat(),
                "score": answer.score,
                "aspect": answer.aspect.name if answer.aspect else None,
                "comment": answer.comment,
            }
            for answer in MoodAnswer.objects.filter(user=user)
            .select_related("area", "aspect")
            .defer(*area_geometry("area"))
        ],
    }


def anonymise(user):
    """Mood answers stay as anonymous figures."""
    MoodAnswer.objects.filter(user=user).update(user=None)


def mood_answers(user):
    """The account's mood answers, newest first."""
    return (
        MoodAnswer.objects.filter(user=user)
        .select_related("area", "aspect")
        .defer(*area_geometry("area"))
        .order_by("-month", "-created_at", "-pk")
    )


def mood_context(user, rows):
    return {
        "anchor": "stimmung",
        "heading": _("Meine Antworten im Stimmungsbarometer"),
        "answers": rows,
    }
