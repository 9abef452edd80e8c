"""What meetings know about an account (quartier.personal_data)."""

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


def contributions(user):
    return [
        {
            "title": registration.meeting.title,
            "url": registration.meeting.get_absolute_url(),
            "date": registration.meeting.starts_at,
            "kind": "Anmeldung zu einem Treffen",
        }
        for registration in Registration.objects.filter(user=user)
        .active()
        .select_related("meeting")
    ]
