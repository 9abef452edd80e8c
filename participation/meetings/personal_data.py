"""What meetings know about an account (quartier.personal_data)."""

from django.db.models import Case, DateTimeField, F, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# what a registration's row shows of it and its meeting
REGISTRATION_ROW_FIELDS = (
    "pk",
    "status",
    "people",
    "cancel_token",
    "meeting",
    "meeting__title",
    "meeting__address",
    "meeting__starts_at",
    "meeting__ends_at",
    "meeting__status",
    "meeting__minutes",
)


def registrations(user):
    """The account's meeting registrations (not cancelled): the coming ones soonest first,
    then the past ones, the latest first."""
    coming_start = Case(
        When(meeting__ends_at__gte=timezone.now(), then=F("meeting__starts_at")),
        output_field=DateTimeField(),
    )
    return (
        Registration.objects.filter(user=user)
        .active()
        .select_related("meeting")
        .only(*REGISTRATION_ROW_FIELDS)
        .annotate(coming_start=coming_start)
        .order_by(F("coming_start").asc(nulls_last=True), "-meeting__starts_at", "-pk")
    )


def registrations_context(user, rows):
    return {
        "anchor": "treffen",
        "heading": _("Meine Anmeldungen zu Treffen"),
        "coming": [r for r in rows if r.coming_start is not None],
        "past": [r for r in rows if r.coming_start is None],
    }
