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

from neighbourhoods.permissions import is_area_staff, is_coordination, manages_area
from participation import permissions
from participation.funds.models import FundApplication
from participation.funds.services import application_office_statement
from participation.ideas.models import PUBLIC_STATUSES, Idea, ModerationAction
from participation.ideas.services import _answer, ensure_may_moderate, log_decision
from participation.surveys.models import Survey
from quartier.languages import lazy_format, mail_language
from quartier.mail import absolute_url, queue_portal_mail

from .models import Decision, Forwarding, Office, SubjectKind

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
    return Forwarding.objects.select_related("idea", "application", "survey", "office").get(
        pk=payload.get("f"), secret=payload.get("s"), withdrawn_at__isnull=True
    )


ABOUT = {
    SubjectKind.IDEA: _("zum Beitrag „%(title)s“"),
    SubjectKind.APPLICATION: _("zum Fondsantrag „%(title)s“"),
    SubjectKind.SURVEY: _("zu den Ergebnissen der Umfrage „%(title)s“"),
}


def _subject_context(forwarding):
    subject = forwarding.subject
    url = forwarding.subject_public_url()
    return {
        "forwarding": forwarding,
        "subject": subject,
        "about": _about(forwarding),
        "subject_link": absolute_url(url) if url else "",
    }


def _about(forwarding):
    return lazy_format(ABOUT[forwarding.subject_kind], {"title": forwarding.subject.title})


def _mail_office(forwarding, *, subject, template, key):
    """A mail to the office: in German (an office has no language of its own)."""
    queue_portal_mail(
        to=forwarding.office.email,
        key=key,
        subject=subject,
        template=template,
        context={
            **_subject_context(forwarding),
            "link": answer_link(forwarding),
            "account_link": absolute_url(reverse("participation:office-requests")),
        },
        language=settings.LANGUAGE_CODE,
    )


def _mail_manager(forwarding, *, subject, template, key):
    """A mail to the manager who asked, in their account's language."""
    manager = forwarding.created_by
    if manager is None or not manager.email:
        return
    queue_portal_mail(
        to=manager.email,
        key=key,
        subject=subject,
        language=mail_language(manager),
        template=template,
        context={
            **_subject_context(forwarding),
            "link": absolute_url(
                reverse("admin:participation_forwarding_change", args=[forwarding.pk])
            ),
        },
    )


def ensure_may_forward(*, user, forwarding):
    """Requests about an idea: as its moderation; about an application: staff of its area;
    about a survey: staff of one of its areas."""
    match forwarding.subject_kind:
        case SubjectKind.IDEA:
            ensure_may_moderate(user=user, idea=forwarding.idea)
            return
        case SubjectKind.APPLICATION:
            allowed = manages_area(user, forwarding.application.area)
        case _:
            allowed = is_coordination(user) or (
                is_area_staff(user)
                and Survey.objects.managed_by(user).filter(pk=forwarding.survey_id).exists()
            )
    if not allowed:
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))


def _lock_subject(*, idea, application, survey):
    """The subject, locked, checked to be ready for an office's eyes."""
    if idea is not None:
        idea = Idea.objects.select_for_update(of=("self",)).get(pk=idea.pk)
        if idea.status not in PUBLIC_STATUSES or idea.is_hidden:
            raise ValidationError(_("Nur veröffentlichte Beiträge können weitergeleitet werden."))
        return idea
    if application is not None:
        application = FundApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if application.status == FundApplication.Status.UNCONFIRMED:
            raise ValidationError(_("Der Antrag ist noch nicht bestätigt."))
        return application
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if not survey.is_published or survey.starts_on > timezone.localdate():
        raise ValidationError(_("Nur Umfragen mit Ergebnissen können weitergeleitet werden."))
    return survey


def subject_title(forwarding):
    return forwarding.subject.title


def request_label(forwarding):
    """The office mail's subject line: "Anfrage zum Beitrag „…“" and the like (translated when
    it is used)."""
    return lazy_format(_("Anfrage %(about)s"), {"about": _about(forwarding)})


@transaction.atomic
def forwarding_create(*, office, question, deadline, by, idea=None, application=None, survey=None):
    """Forward a public idea, a fund application or a survey's results (exactly one) to an
    office with a question and a deadline; the office gets a mail with its answer link."""
    if sum(subject is not None for subject in (idea, application, survey)) != 1:
        raise ValueError("forward exactly one of idea, application, survey")
    subject = _lock_subject(idea=idea, application=application, survey=survey)
    forwarding = Forwarding(
        idea=subject if idea is not None else None,
        application=subject if application is not None else None,
        survey=subject if survey is not None else None,
        office=office,
        question=(question or "").strip(),
        deadline=deadline,
        created_by=by,
    )
    ensure_may_forward(user=by, forwarding=forwarding)
    if not office.is_active:
        raise ValidationError({"office": _("Dieses Amt ist nicht mehr aktiv.")})
    if deadline is not None and deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("Die Frist muss in der Zukunft liegen.")})
    forwarding.full_clean()
    forwarding.save()
    if idea is not None:
        log_decision(actor=by, action=ModerationAction.FORWARD, idea=subject, note=office.name)
    _mail_office(
        forwarding,
        subject=request_label(forwarding),
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
        .select_related("idea", "application", "survey", "office", "created_by")
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
    if forwarding.idea_id is not None:
        log_decision(
            actor=None,
            action=ModerationAction.OFFICE_ANSWER,
            idea=forwarding.idea,
            note=forwarding.office.name,
        )
    _mail_manager(
        forwarding,
        subject=lazy_format(
            _("%(office)s hat geantwortet: „%(title)s“"),
            {"office": forwarding.office.name, "title": subject_title(forwarding)},
        ),
        template="mail/participation/office_answered.txt",
        key=f"office-answered:{forwarding.pk}",
    )
    return forwarding


@transaction.atomic
def forwarding_decide(*, forwarding, by, publish, text="", status_to=None):
    """The manager publishes the office's answer or keeps it internal. Publishing (`text`, the
    office's answer by default, may be edited): about an idea, as the idea's answer (the status
    may change with it); about a fund application, passed on to the applicant; about a survey,
    shown beside its results."""
    forwarding = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("idea", "application", "survey", "office")
        .get(pk=forwarding.pk)
    )
    idea = None
    if forwarding.idea_id is not None:
        idea = Idea.objects.select_for_update(of=("self",)).get(pk=forwarding.idea_id)
    ensure_may_forward(user=by, forwarding=forwarding)
    if forwarding.answered_at is None:
        raise ValidationError(_("Das Amt hat noch nicht geantwortet."))
    if forwarding.decision != Decision.OPEN:
        raise ValidationError(_("Über diese Antwort ist bereits entschieden."))
    if publish:
        text = (text or "").strip() or forwarding.answer
        match forwarding.subject_kind:
            case SubjectKind.IDEA:
                forwarding.public_answer = _answer(
                    idea=idea, by=by, text=text, status_to=status_to or idea.status
                )
            case SubjectKind.APPLICATION:
                application_office_statement(
                    application=forwarding.application,
                    by=by,
                    office=forwarding.office.name,
                    text=text,
                )
        forwarding.published_text = text
        forwarding.decision = Decision.PUBLISHED
        action = ModerationAction.OFFICE_PUBLISH
    else:
        forwarding.decision = Decision.INTERNAL
        action = ModerationAction.OFFICE_INTERNAL
    forwarding.decided_at = timezone.now()
    forwarding.full_clean()
    forwarding.save(update_fields=["decision", "decided_at", "public_answer", "published_text"])
    if idea is not None:
        log_decision(actor=by, action=action, idea=idea, note=forwarding.office.name)
    return forwarding


@transaction.atomic
def forwarding_withdraw(*, forwarding, by):
    """Withdraw an unanswered request (its link stops working)."""
    forwarding = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("idea", "application", "survey")
        .get(pk=forwarding.pk)
    )
    ensure_may_forward(user=by, forwarding=forwarding)
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
        .select_related("idea", "application", "survey", "office", "created_by")
    )
    reminded = 0
    for forwarding in due:
        with transaction.atomic():
            locked = Forwarding.objects.select_for_update(of=("self",)).get(pk=forwarding.pk)
            if locked.answered_at is not None or locked.reminders != forwarding.reminders:
                continue
            number = locked.reminders + 1
            title = subject_title(forwarding)
            _mail_office(
                forwarding,
                subject=lazy_format(
                    _("Erinnerung: %(request)s"), {"request": request_label(forwarding)}
                ),
                template="mail/participation/office_reminder.txt",
                key=f"office-reminder:{forwarding.pk}:{number}",
            )
            _mail_manager(
                forwarding,
                subject=lazy_format(
                    _("Überfällig: %(office)s zu „%(title)s“"),
                    {"office": forwarding.office.name, "title": title},
                ),
                template="mail/participation/office_overdue.txt",
                key=f"office-overdue:{forwarding.pk}:{number}",
            )
            Forwarding.objects.filter(pk=forwarding.pk).update(reminded_at=now, reminders=number)
            reminded += 1
    return reminded


def office_for_user(user):
    """The offices whose accounts include `user` (for the office's own request list)."""
    if not permissions.is_signed_in(user):
        return Office.objects.none()
    return Office.objects.filter(users=user, is_active=True)
