"""What meetings know about an account (quartier.personal_data)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import area_geometry

from .models import Registration


def export(user):
    return {
        "meeting_registrations": [
            {
                "meeting": registration.meeting.title,
                "starts_at": registration.meeting.starts_at.isoformat(),
                "name": registration.name,
                "email": registration.email,
                "people": registration.people,
                "note": registration.note,
                "status": registration.status,
                "created_at": registration.created_at.isoformat(),
            }
            for registration in Registration.objects.filter(user=user).select_related("meeting")
        ],
    }


def anonymise(user):
    """Registrations lose the link to the account."""
    Registration.objects.filter(user=user).update(user=None)


def registrations_context(user):
    """The account's meeting registrations (not cancelled), coming ones first (one query)."""
    registrations = list(
        Registration.objects.filter(user=user)
        .active()
        .select_related("meeting", "meeting__area")
        .defer(*area_geometry("meeting__area"))
        .order_by("-meeting__starts_at", "-pk")
    )
    now = timezone.now()
    coming = [r for r in registrations if r.meeting.ends_at >= now]
    coming.reverse()  # soonest first
    return {
        "anchor": "treffen",
        "heading": _("Meine Anmeldungen zu Treffen"),
        "count": len(registrations),
        "coming": coming,
        "past": [r for r in registrations if r.meeting.ends_at < now],
    }
