"""Every step of a fund application, one function each: views, admin and the demo call these.

Each step checks the status it starts from, writes an `ApplicationEvent` (the application's
log), mails the applicant through the outbox (in the same transaction) and runs atomically.
Approval locks the fund's row (`select_for_update`), so parallel approvals never commit more
than the released budget.
"""

from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from quartier.languages import current_language, mail_language
from quartier.mail import absolute_url, queue_mails, queue_portal_mail, render_portal_mail

from .models import (
    ZERO,
    AgendaItem,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    CostItem,
    Fund,
    FundApplication,
    Membership,
    Payment,
    Vote,
)

S = ApplicationStatus


def euro(value):
    return number_format(value, 2, force_grouping=True)


LINK_SALT = "participation.funds.applicant-link"


def link_max_age():
    return getattr(settings, "FUND_LINK_MAX_AGE", 60 * 60 * 24 * 30)


# --- the applicant's signed link --------------------------------------------------------------


def applicant_token(application):
    return signing.dumps(
        {"a": application.pk, "n": application.link_nonce}, salt=LINK_SALT, compress=True
    )


def applicant_url(application):
    return reverse(
        "participation:fund-application-link", kwargs={"token": applicant_token(application)}
    )


class LinkExpired(Exception):
    def __init__(self, application=None):
        self.application = application


def application_from_token(token):
    """The application of a signed link; LinkExpired (with the application, so a new link can be
    mailed) after `FUND_LINK_MAX_AGE`, FundApplication.DoesNotExist for anything forged."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        data = signing.loads(token, salt=LINK_SALT)
        application = FundApplication.objects.filter(
            pk=data.get("a"), link_nonce=data.get("n")
        ).first()
        raise LinkExpired(application) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise FundApplication.DoesNotExist from None
    if not isinstance(data, dict):
        raise FundApplication.DoesNotExist
    return FundApplication.objects.select_related("fund", "area").get(
        pk=data.get("a"), link_nonce=data.get("n")
    )


# --- log and mail -----------------------------------------------------------------------------


def _log(application, *, actor=None, note=""):
    return ApplicationEvent.objects.create(
        application=application, status=application.status, actor=actor, note=note
    )


MAIL_SUBJECTS = {
    "received": _("Antrag eingegangen: %(title)s"),
    "confirm": _("Bitte bestätigen Sie Ihren Antrag: %(title)s"),
    S.SUBMITTED: _("Antrag eingereicht: %(title)s"),
    S.CHANGES_REQUESTED: _("Bitte ergänzen Sie Ihren Antrag: %(title)s"),
    S.CHECKED: _("Ihr Antrag ist formal geprüft: %(title)s"),
    S.BEFORE_BODY: _("Ihr Antrag liegt dem Gremium vor: %(title)s"),
    S.APPROVED: _("Ihr Antrag ist bewilligt: %(title)s"),
    S.DECLINED: _("Entscheidung über Ihren Antrag: %(title)s"),
    S.DEFERRED: _("Ihr Antrag ist zurückgestellt: %(title)s"),
    S.PAID: _("Auszahlung: %(title)s"),
    S.PROOF_SUBMITTED: _("Verwendungsnachweis eingegangen: %(title)s"),
    S.CLOSED: _("Abgeschlossen: %(title)s"),
    S.REPAYMENT_REQUESTED: _("Rückforderung: %(title)s"),
    "link": _("Ihr neuer Link zum Antrag: %(title)s"),
    "office": _("Stellungnahme zu Ihrem Antrag: %(title)s"),
}


def _mail(application, event, **context):
    """A mail to the applicant, in their account's language or else the one they wrote in."""
    queue_portal_mail(
        to=application.email,
        subject=MAIL_SUBJECTS[event],
        subject_args={"title": application.title},
        language=mail_language(
            application.user if application.user_id else None, fallback=application.language
        ),
        template="mail/funds/application.txt",
        context={
            "application": application,
            "event": str(event),
            "link": absolute_url(applicant_url(application)),
            "max_age_days": link_max_age() // 86400,
            **context,
        },
    )


def application_office_statement(*, application, by, office, text):
    """An office's statement on the application, passed on to the applicant (the offices'
    `forwarding_decide`): logged in the application's history and mailed."""
    _log(application, actor=by, note=f"{office}: {text}")
    _mail(application, "office", office=office, statement=text)


def _locked(application, *allowed):
    application = (
        FundApplication.objects.select_for_update()
        .select_related("fund", "area")
        .get(pk=application.pk)
    )
    if allowed and application.status not in allowed:
        raise ValidationError(
            _("Dieser Schritt ist im Status „%(status)s“ nicht möglich.")
            % {"status": application.get_status_display()}
        )
    return application


def application_send_link(*, application):
    """Mail a fresh link (a visitor's old one expired)."""
    with transaction.atomic():
        _mail(application, "link")


# --- applying ---------------------------------------------------------------------------------


def validate_cost_plan(*, fund, cost_items, own_contribution, requested_amount):
    """The cost plan adds up: total = requested + own contribution, to the cent; the fund's
    maximum and minimum own contribution hold. Errors name the field."""
    errors = {}
    for label, amount in cost_items:
        try:
            CostItem(label=label, amount=amount).full_clean(exclude=["application"])
        except ValidationError as error:
            raise ValidationError({"cost_items": error.messages}) from None
    total = sum((Decimal(amount) for _label, amount in cost_items), ZERO)
    if not cost_items:
        errors["cost_items"] = _("Bitte mindestens einen Kostenposten angeben.")
    elif requested_amount is not None and own_contribution is not None:
        if total != requested_amount + own_contribution:
            errors["requested_amount"] = _(
                "Der Kostenplan geht nicht auf: Die Posten ergeben %(total)s €, "
                "beantragt und Eigenanteil zusammen %(sum)s €."
            ) % {"total": euro(total), "sum": euro(requested_amount + own_contribution)}
        if requested_amount > fund.max_per_application:
            errors["requested_amount"] = _(
                "Aus diesem Fonds gibt es höchstens %(max)s € je Antrag."
            ) % {"max": euro(fund.max_per_application)}
        minimum = (total * fund.own_contribution_percent / 100).quantize(Decimal("0.01"))
        if own_contribution < minimum:
            errors["own_contribution"] = _(
                "Der Eigenanteil muss mindestens %(percent)d %% der Kosten betragen, "
                "also %(min)s €."
            ) % {
                "percent": fund.own_contribution_percent,
                "min": euro(minimum),
            }
    if errors:
        raise ValidationError(errors)
    return total


def _save_files(application, files, kind):
    for checked in files:
        Attachment.objects.create(
            application=application,
            kind=kind,
            file=checked.content,
            original_name=checked.original_name,
            content_type=checked.content_type,
        )


def application_submit(*, fund, cost_items, files=(), user=None, **fields):
    """A new application. With an account it is submitted at once; a visitor first confirms the
    e-mail address through the link we mail (then `application_confirm`)."""
    if not fund.accepts_applications:
        raise ValidationError(_("Dieser Fonds nimmt zurzeit keine Anträge an."))
    total = validate_cost_plan(
        fund=fund,
        cost_items=cost_items,
        own_contribution=fields.get("own_contribution", ZERO),
        requested_amount=fields.get("requested_amount"),
    )
    fields.setdefault("language", current_language())
    application = FundApplication(
        fund=fund,
        user=user if user is not None and user.is_authenticated else None,
        total_costs=total,
        status=S.SUBMITTED if user is not None and user.is_authenticated else S.UNCONFIRMED,
        **fields,
    )
    application.full_clean()
    with transaction.atomic():
        application.save()
        CostItem.objects.bulk_create(
            [
                CostItem(application=application, label=label, amount=amount)
                for label, amount in cost_items
            ]
        )
        _save_files(application, files, Attachment.Kind.APPLICATION)
        _log(application, actor=application.user)
        _mail(application, "received" if application.status == S.SUBMITTED else "confirm")
    return application


def application_confirm(*, application):
    """The visitor opened the link: the application reaches the staff."""
    with transaction.atomic():
        application = _locked(application)
        if application.status != S.UNCONFIRMED:
            return application
        application.status = S.SUBMITTED
        application.save(update_fields=["status", "updated_at"])
        _log(application, note=str(_("E-Mail-Adresse bestätigt")))
        _mail(application, S.SUBMITTED)
    return application


def application_revise(*, application, cost_items, files=(), **fields):
    """The applicant changed the application as asked (through the signed link)."""
    with transaction.atomic():
        application = _locked(application, S.CHANGES_REQUESTED)
        for name, value in fields.items():
            setattr(application, name, value)
        application.total_costs = validate_cost_plan(
            fund=application.fund,
            cost_items=cost_items,
            own_contribution=application.own_contribution,
            requested_amount=application.requested_amount,
        )
        application.status = S.SUBMITTED
        application.full_clean()
        application.save()
        application.cost_items.all().delete()
        CostItem.objects.bulk_create(
            [
                CostItem(application=application, label=label, amount=amount)
                for label, amount in cost_items
            ]
        )
        _save_files(application, files, Attachment.Kind.APPLICATION)
        _log(application, actor=application.user, note=str(_("Antrag geändert")))
        _mail(application, S.SUBMITTED)
    return application


# --- staff: check -----------------------------------------------------------------------------


def application_check(*, application, by, complete, eligible, costs, note=""):
    """The formal check: all three ticks make it `checked`; otherwise the ticks are saved."""
    with transaction.atomic():
        application = _locked(application, S.SUBMITTED)
        application.check_complete, application.check_eligible, application.check_costs = (
            complete,
            eligible,
            costs,
        )
        application.check_note = note
        passed = complete and eligible and costs
        if passed:
            application.status = S.CHECKED
        application.full_clean()
        application.save()
        if passed:
            _log(application, actor=by, note=note)
            _mail(application, S.CHECKED)
    return application


def application_request_changes(*, application, by, text):
    if not text.strip():
        raise ValidationError(
            {"changes_requested": _("Bitte schreiben Sie, was geändert werden soll.")}
        )
    with transaction.atomic():
        application = _locked(application, S.SUBMITTED, S.CHECKED)
        application.status = S.CHANGES_REQUESTED
        application.changes_requested = text
        application.full_clean()
        application.save()
        _log(application, actor=by, note=text)
        _mail(application, S.CHANGES_REQUESTED)
    return application


# --- before the body --------------------------------------------------------------------------


def application_put_before_body(*, application, by, session=None, written_deadline=None):
    """On a session's agenda, or into a written procedure (Umlaufverfahren) until the deadline;
    the members with an account are asked by mail to vote online."""
    if (session is None) == (written_deadline is None):
        raise ValidationError(
            _("Bitte eine Sitzung oder eine Frist für das Umlaufverfahren wählen.")
        )
    if written_deadline is not None and written_deadline <= timezone.now():
        raise ValidationError({"written_deadline": _("Die Frist muss in der Zukunft liegen.")})
    with transaction.atomic():
        application = _locked(application, S.CHECKED, S.DEFERRED)
        body = application.fund.body
        if session is not None:
            if session.body_id != body.pk:
                raise ValidationError(
                    {
                        "session": _(
                            "Die Sitzung gehört nicht zu dem Gremium, "
                            "das über diesen Fonds entscheidet."
                        )
                    }
                )
            position = (session.items.count() or 0) + 1
            AgendaItem.objects.create(
                session=session,
                position=position,
                title=str(_("Antrag: %(title)s") % {"title": application.title}),
                text=f"{application.applicant_display} · {euro(application.requested_amount)} €",
                application=application,
            )
        application.written_deadline = written_deadline
        application.status = S.BEFORE_BODY
        application.save()
        note = (
            str(session)
            if session
            else str(
                _("Umlaufverfahren bis %(deadline)s")
                % {"deadline": timezone.localtime(written_deadline).strftime("%d.%m.%Y %H:%M")}
            )
        )
        _log(application, actor=by, note=note)
        _mail(application, S.BEFORE_BODY, session=session)
        if written_deadline is not None:
            members = (
                Membership.objects.current()
                .filter(body=body, user__isnull=False)
                .select_related("user")
            )
            queue_mails(
                [
                    render_portal_mail(
                        to=member.user.email,
                        subject=_("Umlaufverfahren: %(title)s"),
                        subject_args={"title": application.title},
                        language=mail_language(member.user),
                        template="mail/funds/written_procedure.txt",
                        context={
                            "application": application,
                            "member": member,
                            "vote_url": absolute_url(reverse("participation:body-votes")),
                        },
                    )
                    for member in members
                    if member.user.email
                ]
            )
    return application


def may_vote_online(membership, application):
    return (
        application.status == S.BEFORE_BODY
        and application.written_deadline is not None
        and application.written_deadline > timezone.now()
        and membership.body_id == application.fund.body_id
    )


def vote_cast(*, application, membership, choice, online=False, by=None):
    """A member's vote (or declared conflict). Online only in a running written procedure; in
    the session record staff enter it. Changing one's vote before the decision is fine."""
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Bitte Ja, Nein, Enthaltung oder Befangenheit wählen.")})
    with transaction.atomic():
        application = _locked(application, S.BEFORE_BODY)
        if (
            membership.body_id != application.fund.body_id
            or not Membership.objects.current().filter(pk=membership.pk).exists()
        ):
            raise ValidationError(
                _("Nur amtierende Mitglieder des entscheidenden Gremiums können abstimmen.")
            )
        if online and not may_vote_online(membership, application):
            raise ValidationError(_("Die Frist des Umlaufverfahrens ist abgelaufen."))
        vote, _created = Vote.objects.update_or_create(
            application=application,
            membership=membership,
            defaults={"choice": choice, "online": online},
        )
        _log(
            application,
            actor=by or membership.user,
            note=f"{membership.name}: {vote.get_choice_display()}",
        )
    return vote


def vote_counts(application):
    """{'yes': n, 'no': n, 'abstain': n, 'conflict': n}"""
    counts = dict.fromkeys(Vote.Choice.values, 0)
    for choice in application.votes.values_list("choice", flat=True):
        counts[choice] += 1
    return counts


def application_decide(*, application, by, outcome, amount=None, conditions="", reason=""):
    """Record the body's decision from the votes. Quorum: at least `body.quorum` members voted
    (yes, no or abstain — members with a conflict do not count); approval needs more yes than
    no. Approval reserves `amount` in the fund under the fund's row lock."""
    if outcome not in (S.APPROVED, S.DECLINED, S.DEFERRED):
        raise ValidationError(_("Unbekannte Entscheidung."))
    with transaction.atomic():
        application = _locked(application, S.BEFORE_BODY)
        fund = Fund.objects.select_for_update().get(pk=application.fund_id)
        counts = vote_counts(application)
        voting = counts["yes"] + counts["no"] + counts["abstain"]
        if outcome != S.DEFERRED:
            if voting < fund.body.quorum:
                raise ValidationError(
                    _(
                        "Das Gremium ist nicht beschlussfähig: %(voting)d von mindestens "
                        "%(quorum)d Stimmen (Befangene zählen nicht)."
                    )
                    % {"voting": voting, "quorum": fund.body.quorum}
                )
            if outcome == S.APPROVED and counts["yes"] <= counts["no"]:
                raise ValidationError(
                    _("Für eine Bewilligung braucht es mehr Ja- als Nein-Stimmen.")
                )
            if outcome == S.DECLINED and counts["yes"] > counts["no"]:
                raise ValidationError(
                    _("Die Mehrheit hat mit Ja gestimmt; eine Ablehnung passt nicht zum Ergebnis.")
                )
        if outcome == S.APPROVED:
            if amount is None or amount <= 0:
                raise ValidationError(
                    {"approved_amount": _("Bitte den bewilligten Betrag angeben.")}
                )
            if amount > application.requested_amount:
                raise ValidationError(
                    {"approved_amount": _("Es kann nicht mehr bewilligt werden als beantragt.")}
                )
            approved = (
                FundApplication.objects.filter(
                    fund=fund, status__in=FundApplication.COMMITTED
                ).aggregate(t=Sum("approved_amount"))["t"]
                or ZERO
            )
            released = fund.tranches.filter(released_on__lte=timezone.localdate()).aggregate(
                t=Sum("amount")
            )["t"]
            available = (
                min(released if released is not None else fund.budget, fund.budget) - approved
            )
            if amount > available:
                raise ValidationError(
                    {
                        "approved_amount": _("Im Fonds sind nur noch %(left)s € frei.")
                        % {"left": euro(max(available, ZERO))}
                    }
                )
            application.approved_amount = amount
            application.conditions = conditions
        if outcome == S.DECLINED:
            if not reason.strip():
                raise ValidationError({"decline_reason": _("Bitte die Ablehnung begründen.")})
            application.decline_reason = reason
        application.votes_yes, application.votes_no = counts["yes"], counts["no"]
        application.votes_abstain, application.votes_conflict = (
            counts["abstain"],
            counts["conflict"],
        )
        application.status = outcome
        application.decided_at = timezone.now()
        application.full_clean()
        application.save()
        decision = application.get_status_display()
        if outcome == S.APPROVED:
            decision = f"{decision}: {euro(amount)} €"
        for item in application.agenda_items.filter(decided_at__isnull=True):
            item.decision = str(decision)
            item.votes_yes, item.votes_no, item.votes_abstain = (
                counts["yes"],
                counts["no"],
                counts["abstain"],
            )
            item.decided_at = application.decided_at
            item.save()
        note = f"{decision} · " + str(
            _("Ja %(yes)d, Nein %(no)d, Enthaltung %(abstain)d, befangen %(conflict)d") % counts
        )
        _log(application, actor=by, note=note)
        _mail(application, outcome, counts=counts)
    return application


# --- money and proof --------------------------------------------------------------------------


def payment_record(*, application, by, amount, paid_on=None, note=""):
    """A payment (positive) or repayment (negative). Payments never exceed the approved amount;
    the first payment makes the application `paid`; repayments settle a repayment request."""
    amount = Decimal(amount)
    if amount == 0:
        raise ValidationError({"amount": _("Bitte einen Betrag angeben.")})
    with transaction.atomic():
        application = _locked(
            application, S.APPROVED, S.PAID, S.PROOF_SUBMITTED, S.REPAYMENT_REQUESTED
        )
        paid = application.payments.aggregate(t=Sum("amount"))["t"] or ZERO
        if paid + amount > application.approved_amount:
            raise ValidationError(
                {
                    "amount": _("Ausgezahlt würden mehr als die bewilligten %(approved)s €.")
                    % {"approved": euro(application.approved_amount)}
                }
            )
        if paid + amount < 0:
            raise ValidationError(
                {"amount": _("Es kann nicht mehr zurückgezahlt werden, als ausgezahlt wurde.")}
            )
        payment = Payment(
            application=application,
            amount=amount,
            paid_on=paid_on or timezone.localdate(),
            note=note,
            recorded_by=by,
        )
        payment.full_clean()
        payment.save()
        if amount > 0 and application.status == S.APPROVED:
            application.status = S.PAID
            application.save(update_fields=["status", "updated_at"])
            _mail(application, S.PAID, amount=amount)
        elif (
            amount < 0
            and application.status == S.REPAYMENT_REQUESTED
            and paid + amount <= (application.spent_amount or ZERO)
        ):
            application.status = S.CLOSED
            application.approved_amount = paid + amount  # what was repaid is free in the fund again
            application.save(update_fields=["status", "approved_amount", "updated_at"])
            _mail(application, S.CLOSED)
        _log(application, actor=by, note=f"{euro(amount)} € {note}".strip())
    return payment


def proof_submit(*, application, report, participants, spent_amount, files=()):
    """The applicant's proof of use (Verwendungsnachweis): report, participants, receipts."""
    if spent_amount is not None and spent_amount < 0:
        raise ValidationError({"spent_amount": _("Der Betrag darf nicht negativ sein.")})
    with transaction.atomic():
        application = _locked(application, S.PAID)
        application.report = report
        application.participants = participants
        application.spent_amount = spent_amount
        application.status = S.PROOF_SUBMITTED
        application.full_clean()
        application.save()
        _save_files(application, files, Attachment.Kind.PROOF)
        _log(application, actor=application.user)
        _mail(application, S.PROOF_SUBMITTED)
    return application


def application_close(*, application, by, repayment=None, note=""):
    """Staff accept the proof: closed — or, when less was spent than paid (or `repayment` is
    given), the difference is requested back."""
    with transaction.atomic():
        application = _locked(application, S.PROOF_SUBMITTED)
        paid = application.payments.aggregate(t=Sum("amount"))["t"] or ZERO
        if (
            repayment is None
            and application.spent_amount is not None
            and application.spent_amount < paid
        ):
            repayment = paid - application.spent_amount
        if repayment:
            if repayment < 0 or repayment > paid:
                raise ValidationError(
                    {
                        "repayment": _(
                            "Die Rückforderung muss zwischen 0 und dem ausgezahlten Betrag liegen."
                        )
                    }
                )
            application.status = S.REPAYMENT_REQUESTED
            application.spent_amount = paid - repayment
        else:
            application.status = S.CLOSED
        application.save()
        _log(application, actor=by, note=note or (f"{euro(repayment)} €" if repayment else ""))
        _mail(application, application.status, repayment=repayment)
    return application
