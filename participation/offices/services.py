"""Every write on offices' requests: forwarding, answering, deciding, reminding, withdrawing.
Views, the admin and the periodic job call these."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation import permissions
from participation.ideas.models import PUBLIC_STATUSES, Idea, ModerationAction
from participation.ideas.services import _answer, ensure_may_moderate, log_decision
from quartier.mail import absolute_url, queue_portal_mail

from .models import Decision, Forwarding, Office

ANSWER_SALT = "participation.office-answer"
REMIND_EVERY = timedelta(days=7)  # a reminder a week while an answer is overdue
MAX_REMINDERS = 3


def link_max_age():
    """How long an office's answer link stays valid after it was sent (each reminder sends a
    fresh one)."""
    return timedelta(days=settings.OFFICE_LINK_DAYS)


def answer_token(forwarding):
    return signing.dumps({"f": forwarding.pk, "s": forwarding.secret}, salt=ANSWER_SALT)


def answer_link(forwarding):
    return absolute_url(
        reverse("participation:office-answer", kwargs={"token": answer_token(forwarding)})
    )


class LinkExpired(Exception):
    pass


def forwarding_for_token(token):
    """The forwarding a link names; `LinkExpired` for a link too old, `Forwarding.DoesNotExist`
    for a broken, forged or withdrawn one."""
    try:
        payload = signing.loads(token, salt=ANSWER_SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise Forwarding.DoesNotExist from None
    if not isinstance(payload, dict):
        raise Forwarding.DoesNotExist
    return Forwarding.objects.select_related("idea", "office").get(
        pk=payload.get("f"), secret=payload.get("s"), withdrawn_at__isnull=True
    )


def _mail_office(forwarding, *, subject, template, key):
    queue_portal_mail(
        to=forwarding.office.email,
        key=key,
        subject=subject,
        template=template,
        context={
            "forwarding": forwarding,
            "idea": forwarding.idea,
            "link": answer_link(forwarding),
            "idea_link": absolute_url(forwarding.idea.get_absolute_url()),
            "account_link": absolute_url(reverse("participation:office-requests")),
        },
        language=settings.LANGUAGE_CODE,
    )


@transaction.atomic
def forwarding_create(*, idea, office, question, deadline, by):
    """Forward a public idea to an office with a question and a deadline; the office gets a
    mail with its answer link."""
    idea = Idea.objects.select_for_update(of=("self",)).get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    if idea.status not in PUBLIC_STATUSES or idea.is_hidden:
        raise ValidationError(_("Nur veröffentlichte Beiträge können weitergeleitet werden."))
    if not office.is_active:
        raise ValidationError({"office": _("Dieses Amt ist nicht mehr aktiv.")})
    if deadline is not None and deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("Die Frist muss in der Zukunft liegen.")})
    forwarding = Forwarding(
        idea=idea,
        office=office,
        question=(question or "").strip(),
        deadline=deadline,
        created_by=by,
    )
    forwarding.full_clean()
    forwarding.save()
    log_decision(actor=by, action=ModerationAction.FORWARD, idea=idea, note=office.name)
    _mail_office(
        forwarding,
        subject=_("Anfrage zum Beitrag „%(title)s“") % {"title": idea.title},
        template="mail/participation/office_request.txt",
        key=f"office-request:{forwarding.pk}",
    )
    return forwarding


def may_answer_with_account(user, forwarding):
    return permissions.is_signed_in(user) and forwarding.office.users.filter(pk=user.pk).exists()


@transaction.atomic
def forwarding_answer(*, forwarding, text, name="", by=None):
    """The office's answer (through its link, or `by` an account of the office). One answer per
    request: a second one is refused. The manager who asked hears of it by mail."""
    forwarding = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("idea", "office", "created_by")
        .get(pk=forwarding.pk)
    )
    if by is not None and not may_answer_with_account(by, forwarding):
        raise PermissionDenied(_("Dieses Konto gehört nicht zum angefragten Amt."))
    if forwarding.withdrawn_at is not None:
        raise ValidationError(_("Diese Anfrage wurde zurückgezogen."))
    if forwarding.answered_at is not None:
        raise ValidationError(_("Diese Anfrage ist bereits beantwortet."))
    forwarding.answer = (text or "").strip()
    forwarding.answered_name = (name or "").strip()
    forwarding.answered_by = by
    forwarding.answered_at = timezone.now()
    if not forwarding.answer:
        raise ValidationError({"answer": _("Bitte schreiben Sie eine Antwort.")})
    forwarding.full_clean()
    forwarding.save()
    log_decision(
        actor=None,
        action=ModerationAction.OFFICE_ANSWER,
        idea=forwarding.idea,
        note=forwarding.office.name,
    )
    manager = forwarding.created_by
    if manager is not None and manager.email:
        queue_portal_mail(
            to=manager.email,
            key=f"office-answered:{forwarding.pk}",
            subject=_("%(office)s hat geantwortet: „%(title)s“")
            % {"office": forwarding.office.name, "title": forwarding.idea.title},
            template="mail/participation/office_answered.txt",
            context={
                "forwarding": forwarding,
                "idea": forwarding.idea,
                "link": absolute_url(
                    reverse("admin:participation_forwarding_change", args=[forwarding.pk])
                ),
            },
        )
    return forwarding


@transaction.atomic
def forwarding_decide(*, forwarding, by, publish, text="", status_to=None):
    """The manager publishes the office's answer as the idea's answer (`text`, the office's
    answer by default, may be edited; the status may change with it) or keeps it internal."""
    forwarding = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("idea", "office")
        .get(pk=forwarding.pk)
    )
    idea = Idea.objects.select_for_update(of=("self",)).get(pk=forwarding.idea_id)
    ensure_may_moderate(user=by, idea=idea)
    if forwarding.answered_at is None:
        raise ValidationError(_("Das Amt hat noch nicht geantwortet."))
    if forwarding.decision != Decision.OPEN:
        raise ValidationError(_("Über diese Antwort ist bereits entschieden."))
    if publish:
        answer = _answer(
            idea=idea,
            by=by,
            text=(text or "").strip() or forwarding.answer,
            status_to=status_to or idea.status,
        )
        forwarding.public_answer = answer
        forwarding.decision = Decision.PUBLISHED
        action = ModerationAction.OFFICE_PUBLISH
    else:
        forwarding.decision = Decision.INTERNAL
        action = ModerationAction.OFFICE_INTERNAL
    forwarding.decided_at = timezone.now()
    forwarding.save(update_fields=["decision", "decided_at", "public_answer"])
    log_decision(actor=by, action=action, idea=idea, note=forwarding.office.name)
    return forwarding


@transaction.atomic
def forwarding_withdraw(*, forwarding, by):
    """Withdraw an unanswered request (its link stops working)."""
    forwarding = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("idea")
        .get(pk=forwarding.pk)
    )
    ensure_may_moderate(user=by, idea=forwarding.idea)
    if forwarding.answered_at is not None:
        raise ValidationError(_("Eine beantwortete Anfrage kann nicht zurückgezogen werden."))
    forwarding.withdrawn_at = timezone.now()
    forwarding.save(update_fields=["withdrawn_at"])
    return forwarding


def forwardings_remind(*, now=None):
    """The daily job: remind the offices of overdue requests — once a week, at most
    MAX_REMINDERS times; the manager who asked gets a copy. Returns the number reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Forwarding.objects.overdue(today=today)
        .filter(reminders__lt=MAX_REMINDERS)
        .exclude(reminded_at__gt=now - REMIND_EVERY)
        .select_related("idea", "office", "created_by")
    )
    reminded = 0
    for forwarding in due:
        with transaction.atomic():
            locked = Forwarding.objects.select_for_update(of=("self",)).get(pk=forwarding.pk)
            if locked.answered_at is not None or locked.reminders != forwarding.reminders:
                continue
            number = locked.reminders + 1
            _mail_office(
                forwarding,
                subject=_("Erinnerung: Anfrage zum Beitrag „%(title)s“")
                % {"title": forwarding.idea.title},
                template="mail/participation/office_reminder.txt",
                key=f"office-reminder:{forwarding.pk}:{number}",
            )
            manager = forwarding.created_by
            if manager is not None and manager.email:
                queue_portal_mail(
                    to=manager.email,
                    key=f"office-overdue:{forwarding.pk}:{number}",
                    subject=_("Überfällig: %(office)s zu „%(title)s“")
                    % {"office": forwarding.office.name, "title": forwarding.idea.title},
                    template="mail/participation/office_overdue.txt",
                    context={
                        "forwarding": forwarding,
                        "idea": forwarding.idea,
                        "link": absolute_url(
                            reverse("admin:participation_forwarding_change", args=[forwarding.pk])
                        ),
                    },
                )
            Forwarding.objects.filter(pk=forwarding.pk).update(reminded_at=now, reminders=number)
            reminded += 1
    return reminded


def office_for_user(user):
    """The offices whose accounts include `user` (for the office's own request list)."""
    if not permissions.is_signed_in(user):
        return Office.objects.none()
    return Office.objects.filter(users=user, is_active=True)
