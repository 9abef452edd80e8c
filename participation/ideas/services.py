"""Every write on ideas, comments, supports and flags. Views and the admin call these."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from neighbourhoods.lookup import area_for_geojson_point
from neighbourhoods.permissions import is_coordination
from participation import permissions
from participation.subscriptions import notifications
from participation.subscriptions.models import NotificationKind
from participation.summaries.services import area_summaries_refresh
from quartier import fragments
from quartier.images import ProcessedImage, delete_files, process_image
from quartier.jobs import run_later
from quartier.languages import current_language, mail_language, remember_language
from quartier.mail import absolute_url, queue_mails, queue_portal_mail, render_portal_mail

from .models import (
    PUBLIC_STATUSES,
    STATUS_TRANSITIONS,
    Answer,
    Channel,
    Comment,
    Flag,
    Idea,
    IdeaStatus,
    ModerationAction,
    ModerationLog,
    Support,
)

logger = logging.getLogger(__name__)
CONFIRM_SALT = "participation.idea-confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
OUTSIDE_MESSAGE = _(
    "Der gewählte Punkt liegt außerhalb aller Quartiere. Bitte wählen Sie einen Ort im "
    "Stadtgebiet oder wählen Sie das Gebiet aus der Liste."
)


def flag_threshold():
    return getattr(settings, "IDEA_FLAG_THRESHOLD", 3)


# --- helpers -------------------------------------------------------------------------------


def log_decision(*, actor, action, idea=None, comment=None, note="", area=None, history_for=None):
    """Record a decision in the moderation log and, when a person made it, in Django's admin
    history of the idea too ("Meine Aktionen", the idea's "Geschichte"). The admin history keeps
    its message as text, written in the portal's main language."""
    area = area or (idea.area if idea is not None else None)
    history_for = history_for or idea
    entry = ModerationLog.objects.create(
        actor=actor, action=action, idea=idea, comment=comment, note=note, area=area
    )
    if actor is not None and history_for is not None and history_for.pk is not None:
        with translation.override(settings.LANGUAGE_CODE):
            message = entry.get_action_display()
            if entry.note_display:
                message = f"{message}: {entry.note_display}"
        AdminLogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[history_for],
            action_flag=CHANGE if action != ModerationAction.DELETE else DELETION,
            change_message=message[:1000],
        )
    return entry


def _role_label(user):
    return str(_("Quartierskoordination") if is_coordination(user) else _("Quartiersmanagement"))


def is_own_contribution(*, user, idea):
    if idea.author_id and idea.author_id == user.pk:
        return True
    email = (user.email or "").strip().lower()
    return bool(email) and email == (idea.author_email or "").strip().lower()


def ensure_may_moderate(*, user, idea):
    """Staff for the idea's area, never on their own contribution."""
    if not permissions.can_moderate(user, idea):
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))
    if is_own_contribution(user=user, idea=idea):
        raise PermissionDenied(_("Eigene Beiträge moderieren andere."))


def area_for_location(location):
    """The area containing a GeoJSON point, or a ValidationError for points outside all areas."""
    area = area_for_geojson_point(location)
    if area is None:
        raise ValidationError({"location": OUTSIDE_MESSAGE})
    return area


def _author_address(idea):
    if idea.author_id and idea.author.email:
        return idea.author.email
    return idea.author_email


def _author_language(idea):
    """The language to write to the author in: their account's, else (a visitor) the language
    they wrote in, which the form set to the page's language unless they chose another."""
    return mail_language(idea.author if idea.author_id else None, fallback=idea.language)


# --- submitting ----------------------------------------------------------------------------


def idea_confirm_token(idea):
    return signing.dumps({"idea": idea.pk}, salt=CONFIRM_SALT)


@transaction.atomic
def idea_submit(
    *,
    kind,
    title,
    text,
    topic,
    language=None,
    location=None,
    area=None,
    photo=None,
    photo_alt="",
    user=None,
    author_name="",
    author_email="",
    channel=Channel.ONLINE,
    entered_by=None,
    meeting=None,
):
    """Create an idea. Accounts and staff-entered ideas are confirmed at once; visitors get a
    confirmation mail and the idea waits until they follow its link. `photo` is an upload, or
    a `ProcessedImage` a form already made of it (so it is processed once)."""
    if location:
        area = area_for_location(location)
    if area is None:
        raise ValidationError(
            {"area": _("Bitte wählen Sie ein Gebiet oder einen Ort auf der Karte.")}
        )
    is_account = user is not None and user.is_authenticated
    idea = Idea(
        kind=kind,
        title=title,
        text=text,
        language=language or current_language(),
        topic=topic,
        area=area,
        location=location or None,
        photo_alt=photo_alt,
        author=user if is_account else None,
        author_name="" if is_account else author_name,
        author_email="" if is_account else author_email,
        channel=channel,
        meeting=meeting,
        status=IdeaStatus.PENDING,
        confirmed_at=timezone.now() if (is_account or entered_by is not None) else None,
    )
    processed = _processed(photo)
    new_files = _store_photo(idea, processed) if processed else []
    try:
        idea.full_clean()
        idea.save()
        if entered_by is None:
            remember_language(user)
        if entered_by is not None:
            log_decision(
                actor=entered_by,
                action=ModerationAction.ENTER,
                idea=idea,
                note=idea.get_channel_display(),
            )
        if idea.confirmed_at is None and idea.author_email:
            link = absolute_url(
                reverse("participation:idea-confirm", kwargs={"token": idea_confirm_token(idea)})
            )
            queue_portal_mail(
                to=idea.author_email,
                subject=_("Bitte bestätigen Sie Ihren Beitrag"),
                template="mail/participation/idea_confirm.txt",
                context={"idea": idea, "link": link, "days": CONFIRM_MAX_AGE.days},
            )
    except BaseException:
        _discard_files(idea.photo.storage, new_files)
        raise
    return idea


COLLECT_CHANNELS = (Channel.MEETING, Channel.PAPER)


@transaction.atomic
def ideas_collect(*, meeting, by, channel, entries):
    """Enter what people brought in on paper or by word at a meeting, published at once (staff
    wrote it down, nobody needs to confirm an address) and linked to the meeting, so its page
    lists them. `entries` are dicts with kind, title, text and topic. All or nothing: one bad
    entry saves none. Each entry is entered and published through idea_submit / idea_publish."""
    if not permissions.can_moderate_in(by, meeting.area):
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))
    if meeting.status == meeting.Status.CANCELLED or meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Beiträge werden erfasst, wenn das Treffen begonnen hat (und nicht abgesagt ist).")
        )
    if channel not in COLLECT_CHANNELS:
        raise ValidationError(
            {"channel": _("Bitte wählen Sie „Bei einem Treffen“ oder „Auf Papier“.")}
        )
    if not entries:
        raise ValidationError(_("Bitte tragen Sie mindestens einen Beitrag ein."))
    ideas = []
    for entry in entries:
        idea = idea_submit(
            kind=entry["kind"],
            title=entry["title"],
            text=entry["text"],
            topic=entry["topic"],
            area=meeting.area,
            channel=channel,
            entered_by=by,
            meeting=meeting,
        )
        ideas.append(idea_publish(idea=idea, by=by))
    return ideas


@transaction.atomic
def ideas_enter_cards(*, area, by, entries):
    """Enter paper cards handed in for `area` (no meeting needed): ideas from idea cards,
    strengths and weaknesses from mood cards. Each entry (kind, title, text, topic) goes through
    idea_submit with the channel "paper" and then waits, like what comes in online, in the
    moderation queue. All or nothing: one bad entry saves none."""
    if not permissions.can_moderate_in(by, area):
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))
    if not area.is_current:
        raise ValidationError({"area": _("Dieses Gebiet gibt es nicht mehr.")})
    if not entries:
        raise ValidationError(_("Bitte tragen Sie mindestens einen Beitrag ein."))
    return [
        idea_submit(
            kind=entry["kind"],
            title=entry["title"],
            text=entry["text"],
            topic=entry["topic"],
            area=area,
            channel=Channel.PAPER,
            entered_by=by,
        )
        for entry in entries
    ]


@transaction.atomic
def idea_confirm(*, token):
    """Follow a confirmation link. Returns the idea, or None for a bad or expired link."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    idea = Idea.objects.select_for_update().filter(pk=data.get("idea")).first()
    if idea is None:
        return None
    if idea.confirmed_at is None:
        idea.confirmed_at = timezone.now()
        idea.save(update_fields=["confirmed_at", "updated_at"])
    return idea


def _processed(photo):
    if not photo:
        return None
    return photo if isinstance(photo, ProcessedImage) else process_image(photo)


def idea_set_photo(*, idea, photo, photo_alt=None):
    """Replace (or with photo=None remove) the photo; the old files are deleted once the
    change is committed, the new ones at once if it fails."""
    old = [idea.photo.name, idea.thumbnail.name]
    processed = _processed(photo)
    storage = idea.photo.storage
    new_files = _store_photo(idea, processed) if processed else []
    if not processed:
        idea.photo = ""
        idea.thumbnail = ""
    if photo_alt is not None:
        idea.photo_alt = photo_alt
    try:
        idea.save(update_fields=["photo", "thumbnail", "photo_alt", "updated_at"])
    except BaseException:
        _discard_files(storage, new_files)
        raise
    _delete_later(old)
    return idea


def _store_photo(idea, processed):
    """Write the processed photo and its thumbnail; return their names. If writing fails
    halfway, what was written is removed again."""
    written = []
    try:
        for field, content in (
            (idea.photo, processed.image),
            (idea.thumbnail, processed.thumbnail),
        ):
            field.save(content.name, content, save=False)
            written.append(field.name)
    except BaseException:
        _discard_files(idea.photo.storage, written)
        raise
    return written


def _delete_later(names):
    """Delete stored photo files once the change is committed (a job: retried while the
    storage, local or S3, fails)."""
    names = [name for name in names if name]
    if names:
        run_later(photo_files_delete, names=names)


def photo_files_delete(*, names):
    storage = Idea._meta.get_field("photo").storage
    for name in names:
        storage.delete(name)  # a missing file is no error, on disk and on S3


def _discard_files(storage, names):
    """Delete stored files by name at once; a failure is logged, never raised (this runs
    while an error is already on its way)."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            logger.warning("could not delete %s", name, exc_info=True)


@transaction.atomic
def idea_photo_remove(*, idea, by):
    """A moderator removes a photo (all its files) but keeps the idea."""
    ensure_may_moderate(user=by, idea=idea)
    if idea.photo:
        idea_set_photo(idea=idea, photo=None, photo_alt="")
        log_decision(actor=by, action=ModerationAction.REMOVE_PHOTO, idea=idea)
    return idea


@transaction.atomic
def idea_delete(*, idea, by):
    ensure_may_moderate(user=by, idea=idea)
    files = [idea.photo.name, idea.thumbnail.name]
    log_decision(
        actor=by,
        action=ModerationAction.DELETE,
        note=f"#{idea.pk} {idea.title}",
        area=idea.area,
        history_for=idea,
    )
    idea.delete()
    _delete_later(files)


# --- moderation ----------------------------------------------------------------------------


def _notify_author(idea, *, subject, template, context):
    address = _author_address(idea)
    if address:
        queue_portal_mail(
            to=address,
            subject=subject,
            template=template,
            context={"idea": idea, **context},
            language=_author_language(idea),
        )


def _change_status(idea, status_to):
    allowed = STATUS_TRANSITIONS.get(idea.status, set())
    if status_to != idea.status and status_to not in allowed:
        raise ValidationError(
            _("Von „%(from)s“ kann der Stand nicht zu „%(to)s“ wechseln.")
            % {"from": idea.get_status_display(), "to": IdeaStatus(status_to).label}
        )


@transaction.atomic
def idea_publish(*, idea, by, answer_text="", status_to=None):
    """Publish a waiting idea. With `answer_text` it is answered in the same step (and may move
    on to `status_to`, a status allowed after publishing): all or nothing, one mail to the
    author with the answer in it."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    if idea.confirmed_at is None:
        raise ValidationError(_("Der Beitrag ist noch nicht per E-Mail bestätigt."))
    if idea.status != IdeaStatus.PENDING:
        raise ValidationError(_("Nur wartende Beiträge können veröffentlicht werden."))
    idea.status = IdeaStatus.PUBLISHED
    idea.published_at = timezone.now()
    idea.save(update_fields=["status", "published_at", "updated_at"])
    log_decision(actor=by, action=ModerationAction.PUBLISH, idea=idea)
    answer = None
    if (answer_text or "").strip() or (status_to and status_to != IdeaStatus.PUBLISHED):
        answer = _answer(idea=idea, by=by, text=answer_text, status_to=status_to, to_author=False)
    _notify_author(
        idea,
        subject=_("Ihr Beitrag ist veröffentlicht"),
        template="mail/participation/idea_published.txt",
        context={"link": absolute_url(idea.get_absolute_url()), "answer": answer},
    )
    notifications.followers_notify_later(event=NotificationKind.IDEA_PUBLISHED, pk=idea.pk)
    return idea


@transaction.atomic
def idea_reject(*, idea, by, reason):
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    if idea.status != IdeaStatus.PENDING:
        raise ValidationError(_("Nur wartende Beiträge können abgelehnt werden."))
    idea.status = IdeaStatus.REJECTED
    idea.save(update_fields=["status", "updated_at"])
    log_decision(actor=by, action=ModerationAction.REJECT, idea=idea, note=reason)
    _notify_author(
        idea,
        subject=_("Ihr Beitrag wurde nicht veröffentlicht"),
        template="mail/participation/idea_rejected.txt",
        context={"reason": reason},
    )
    return idea


@transaction.atomic
def idea_answer(*, idea, by, text, status_to=None):
    """A public answer, optionally changing the status; mailed to the author and to
    supporters who asked for updates."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    return _answer(idea=idea, by=by, text=text, status_to=status_to)


def _answer(*, idea, by, text, status_to, to_author=True):
    """Answer the locked, checked `idea` (see idea_answer and idea_publish)."""
    status_to = status_to or idea.status
    if idea.status not in PUBLIC_STATUSES:
        raise ValidationError(_("Nur veröffentlichte Beiträge können beantwortet werden."))
    _change_status(idea, status_to)
    answer = Answer(
        idea=idea,
        text=(text or "").strip(),
        status_from=idea.status,
        status_to=status_to,
        author=by,
        author_role=_role_label(by),
    )
    try:
        answer.full_clean()
    except ValidationError as error:
        if "text" in error.message_dict:
            raise ValidationError({"text": _("Bitte schreiben Sie eine Antwort.")}) from None
        raise
    answer.save()
    if status_to != idea.status:
        idea.status = status_to
        idea.save(update_fields=["status", "updated_at"])
    log_decision(
        actor=by,
        action=ModerationAction.ANSWER,
        idea=idea,
        note=f"{answer.status_from} → {status_to}",
    )
    notifications.followers_notify_later(event=NotificationKind.ANSWER, pk=answer.pk)
    run_later(
        idea_answer_mail, key=f"answer-mail:{answer.pk}", answer_id=answer.pk, to_author=to_author
    )
    return answer


def idea_answer_mail(*, answer_id, to_author=True):
    """The job that mails an answer to the supporters who asked for news and (unless the
    author heard of it already, in the mail that the idea is published) to the author: one
    mail per address, however many supported it."""
    answer = Answer.objects.select_related("idea__author").filter(pk=answer_id).first()
    if answer is None:
        return 0
    idea = answer.idea
    recipients = {
        address: mail_language(fallback=language)
        for address, language in Support.objects.filter(idea=idea, notify=True, user__isnull=False)
        .exclude(user__email="")
        .values_list("user__email", "user__language")
    }
    author_address = _author_address(idea)
    if author_address and to_author:
        recipients[author_address] = _author_language(idea)
    elif author_address:
        recipients.pop(author_address, None)
    link = absolute_url(idea.get_absolute_url())
    title = " ".join(idea.title.split())
    return len(
        queue_mails(
            [
                render_portal_mail(
                    to=address,
                    key=f"answer:{answer.pk}:{address.lower()}",
                    subject=_("Neuigkeiten zu „%(title)s“"),
                    subject_args={"title": title},
                    template="mail/participation/idea_answered.txt",
                    context={"idea": idea, "answer": answer, "link": link},
                    language=language,
                )
                for address, language in sorted(recipients.items())
            ]
        )
    )


@transaction.atomic
def idea_unhide(*, idea, by):
    """A manager decides flagged content may stay: open flags are resolved."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    idea.is_hidden = False
    idea.hidden_reason = ""
    idea.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    Flag.objects.filter(idea=idea, comment__isnull=True).open().update(resolved_at=timezone.now())
    log_decision(actor=by, action=ModerationAction.UNHIDE, idea=idea)
    return idea


@transaction.atomic
def idea_hide(*, idea, by, reason):
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    idea.is_hidden = True
    idea.hidden_reason = (reason or "").strip()[:300]
    idea.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    Flag.objects.filter(idea=idea, comment__isnull=True).open().update(resolved_at=timezone.now())
    log_decision(actor=by, action=ModerationAction.HIDE, idea=idea, note=idea.hidden_reason)
    return idea


# --- comments, supports, flags --------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea, user, text, language=None):
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Nur mit einem Konto können Sie kommentieren."))
    if not idea.is_public:
        raise PermissionDenied
    comment = Comment(
        idea=idea,
        author=user,
        text=(text or "").strip(),
        language=language or current_language(),
    )
    comment.full_clean()
    comment.save()
    remember_language(user)
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    return comment


def _hide_comment(comment, reason):
    """Hide a comment and keep comment_count right; returns False if it was hidden already."""
    updated = Comment.objects.filter(pk=comment.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=(reason or "")[:300]
    )
    if updated:
        Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    return bool(updated)


@transaction.atomic
def comment_hide(*, comment, by, reason):
    ensure_may_moderate(user=by, idea=comment.idea)
    if comment.author_id == by.pk:
        raise PermissionDenied(_("Eigene Beiträge moderieren andere."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    _hide_comment(comment, reason)
    Flag.objects.filter(comment=comment).open().update(resolved_at=timezone.now())
    log_decision(
        actor=by,
        action=ModerationAction.HIDE_COMMENT,
        idea=comment.idea,
        comment=comment,
        note=reason,
    )


@transaction.atomic
def comment_unhide(*, comment, by):
    ensure_may_moderate(user=by, idea=comment.idea)
    updated = Comment.objects.filter(pk=comment.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if updated:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    Flag.objects.filter(comment=comment).open().update(resolved_at=timezone.now())
    log_decision(
        actor=by, action=ModerationAction.UNHIDE_COMMENT, idea=comment.idea, comment=comment
    )


def _lock_for_supports(idea):
    """Lock the idea's row: support changes of one idea happen one after another, so a
    support and a withdrawal sent at the same moment never see each other half-done (the
    counter's UPDATE would take this lock anyway)."""
    Idea.objects.select_for_update().filter(pk=idea.pk).values_list("pk").first()


@transaction.atomic
def support_add(*, idea, user, notify=False):
    """Support an idea once; a second call only updates `notify`. Returns the Support.

    Idempotent and safe under parallel calls (double clicks, several tabs)."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Nur mit einem Konto können Sie Ideen unterstützen."))
    if not idea.is_public:
        raise PermissionDenied
    _lock_for_supports(idea)
    support = Support.objects.filter(idea=idea, user=user).first()
    if support is not None:
        if support.notify != notify:
            support.notify = notify
            support.save(update_fields=["notify"])
        return support
    support = Support.objects.create(idea=idea, user=user, notify=notify)
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return support


@transaction.atomic
def support_remove(*, idea, user):
    """Withdraw a support; returns whether there was one. Idempotent, safe in parallel."""
    _lock_for_supports(idea)
    deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)


def flag_create(*, idea, reporter_key, reason, user=None, comment=None):
    """Report an idea or a comment. Once `IDEA_FLAG_THRESHOLD` different people reported it,
    it is hidden until a manager decides. Reporting twice counts once."""
    reason = (reason or "").strip()
    flag = Flag(
        idea=idea,
        comment=comment,
        user=user if (user and user.is_authenticated) else None,
        reporter_key=reporter_key,
        reason=reason,
    )
    flag.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        return None
    with transaction.atomic():
        open_flags = Flag.objects.open()
        if comment is not None:
            count = open_flags.filter(comment=comment).values("reporter_key").distinct().count()
            if count >= flag_threshold() and _hide_comment(
                comment, str(_("Mehrfach gemeldet – wartet auf Entscheidung"))
            ):
                log_decision(
                    actor=None,
                    action=ModerationAction.AUTO_HIDE_COMMENT,
                    idea=idea,
                    comment=comment,
                )
        else:
            count = (
                open_flags.filter(idea=idea, comment__isnull=True)
                .values("reporter_key")
                .distinct()
                .count()
            )
            if count >= flag_threshold():
                updated = Idea.objects.filter(pk=idea.pk, is_hidden=False).update(
                    is_hidden=True,
                    hidden_reason=str(_("Mehrfach gemeldet – wartet auf Entscheidung")),
                )
                if updated:
                    fragments.bump(fragments.model_scope(Idea))  # an update sends no signal
                    fragments.areas_changed([idea.area_id])
                    fragments.ideas_changed([idea.pk])
                    area_summaries_refresh(area_ids=[idea.area_id], mood=False)
                    log_decision(actor=None, action=ModerationAction.AUTO_HIDE, idea=idea)
    return flag


# --- retention ---------------------------------------------------------------------------

# Unconfirmed visitor ideas are kept this long after their confirmation link expired.
UNCONFIRMED_GRACE = timedelta(days=7)


def ideas_unconfirmed_expired(*, now=None):
    """Visitor ideas never confirmed whose link expired more than UNCONFIRMED_GRACE ago."""
    cutoff = (now or timezone.now()) - CONFIRM_MAX_AGE - UNCONFIRMED_GRACE
    return Idea.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


def ideas_purge_unconfirmed(*, now=None, dry_run=False):
    """Delete expired unconfirmed ideas with their photo files. Returns how many."""
    stale = ideas_unconfirmed_expired(now=now)
    if dry_run:
        return stale.count()
    count = 0
    for idea in stale.iterator():
        photo, thumbnail = idea.photo, idea.thumbnail
        idea.delete()
        delete_files(photo, thumbnail)
        count += 1
    return count
