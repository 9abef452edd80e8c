"""Writes for meetings and registrations: one code path for views, admin and commands.

Capacity is kept exact by locking the meeting row (`select_for_update`) for the whole
decision "confirmed or waiting" — on PostgreSQL concurrent sign-ups for the same meeting queue
on that lock; SQLite serialises write transactions anyway. Mails go out after commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.subscriptions.models import NotificationKind
from participation.subscriptions.notifications import followers_notify_later
from quartier.languages import current_language, mail_language
from quartier.mail import absolute_url, queue_mails, queue_portal_mail, render_portal_mail

from .calendar import meetings_calendar
from .models import Meeting, Registration


def meeting_validate_new(*, starts_at, ends_at):
    """Extra rules for a meeting being created (the model's rules hold for every save)."""
    if starts_at and starts_at < timezone.now():
        raise ValidationError(
            {"starts_at": _("Ein neues Treffen kann nicht in der Vergangenheit beginnen.")}
        )


def meeting_create(*, by=None, **fields):
    meeting = Meeting(**fields)
    meeting_validate_new(starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        followers_notify_later(event=NotificationKind.MEETING_CREATED, pk=meeting.pk)
    return meeting


def _confirmed_people(meeting):
    return (
        Registration.objects.filter(
            meeting=meeting, status=Registration.Status.CONFIRMED
        ).aggregate(total=Sum("people"))["total"]
        or 0
    )


def _ics_attachment(meeting):
    return (f"treffen-{meeting.pk}.ics", meetings_calendar([meeting]), "text/calendar")


def registration_language(registration):
    """The language to write to someone registered: their account's, else the one of the page
    they signed up on."""
    return mail_language(
        registration.user if registration.user_id else None, fallback=registration.language
    )


def _mail_registration(registration, template, subject):
    meeting = registration.meeting
    queue_portal_mail(
        to=registration.email,
        subject=subject,
        subject_args={"title": meeting.title},
        language=registration_language(registration),
        template=template,
        context={
            "registration": registration,
            "meeting": meeting,
            "meeting_url": absolute_url(meeting.get_absolute_url()),
            "cancel_url": absolute_url(registration.get_cancel_url()),
        },
        attachments=[_ics_attachment(meeting)],
    )


def registration_create(*, meeting, name, email, people=1, note="", user=None, language=None):
    """Sign up for `meeting`: confirmed while places are left, else on the waiting list. Later
    mails go out in `language` (default: the page's) unless the person has an account.

    Someone already waiting keeps their turn: while anyone waits, new sign-ups wait too.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.is_open_for_registration:
            raise ValidationError(_("Für dieses Treffen ist keine Anmeldung mehr möglich."))
        if meeting.capacity is not None and people > meeting.capacity:
            raise ValidationError(
                {
                    "people": _("Für dieses Treffen gibt es insgesamt nur %(n)s Plätze.")
                    % {"n": meeting.capacity}
                }
            )
        status = Registration.Status.CONFIRMED
        if meeting.capacity is not None:
            someone_waits = Registration.objects.filter(
                meeting=meeting, status=Registration.Status.WAITING
            ).exists()
            if someone_waits or _confirmed_people(meeting) + people > meeting.capacity:
                status = Registration.Status.WAITING
        registration = Registration(
            meeting=meeting,
            name=name,
            email=email,
            people=people,
            note=note,
            user=user,
            status=status,
            language=language or current_language(),
        )
        registration.full_clean()
        registration.save()
        if status == Registration.Status.CONFIRMED:
            subject = _("Ihre Anmeldung: %(title)s")
            template = "mail/meetings/registration_confirmed.txt"
        else:
            subject = _("Warteliste: %(title)s")
            template = "mail/meetings/registration_waiting.txt"
        _mail_registration(registration, template, subject)
    return registration


def _move_up_waiting(meeting):
    """Confirm waiting registrations in order while they fit; returns the moved ones."""
    moved = []
    if meeting.status != Meeting.Status.PLANNED:
        return moved
    free = None if meeting.capacity is None else meeting.capacity - _confirmed_people(meeting)
    for waiting in Registration.objects.filter(meeting=meeting).waiting():
        if free is not None and waiting.people > free:
            break  # first come, first served: nobody overtakes the first in line
        waiting.status = Registration.Status.CONFIRMED
        waiting.save(update_fields=["status", "updated_at"])
        moved.append(waiting)
        if free is not None:
            free -= waiting.people
    return moved


def registration_cancel(*, registration):
    """Cancel a registration; the first on the waiting list move up and are told by mail."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration, []
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        moved = _move_up_waiting(meeting)
        for promoted in moved:
            promoted.meeting = meeting
            _mail_registration(
                promoted,
                "mail/meetings/registration_moved_up.txt",
                _("Ein Platz ist frei geworden: %(title)s"),
            )
    return registration, moved


def registration_set_status(*, registration, status, by=None):
    """Staff confirm, cancel or put a registration on the waiting list (admin)."""
    if status == Registration.Status.CANCELLED:
        return registration_cancel(registration=registration)[0]
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if status == Registration.Status.CONFIRMED and meeting.capacity is not None:
            others = _confirmed_people(meeting) - (
                registration.people if registration.status == Registration.Status.CONFIRMED else 0
            )
            if others + registration.people > meeting.capacity:
                raise ValidationError(_("Dafür sind nicht genug Plätze frei."))
        registration.status = status
        registration.full_clean()
        registration.save()
    return registration


def meeting_cancel(*, meeting, by=None):
    """Cancel a meeting and tell everyone registered or waiting."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            return meeting
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
        meeting_url = absolute_url(meeting.get_absolute_url())
        queue_mails(
            [
                render_portal_mail(
                    to=registration.email,
                    subject=_("Abgesagt: %(title)s"),
                    subject_args={"title": meeting.title},
                    language=registration_language(registration),
                    template="mail/meetings/meeting_cancelled.txt",
                    context={
                        "registration": registration,
                        "meeting": meeting,
                        "meeting_url": meeting_url,
                    },
                )
                for registration in Registration.objects.filter(meeting=meeting)
                .active()
                .select_related("user")
            ]
        )
    return meeting


def meeting_mark_held(*, meeting, minutes=None, by=None):
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.status = Meeting.Status.HELD
        if minutes is not None:
            meeting.minutes = minutes
        meeting.full_clean()
        meeting.save()
    return meeting
