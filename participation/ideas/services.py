"""Every write on ideas, comments, supports and flags. Views and the admin call these."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.lookup import area_for_geojson_point
from neighbourhoods.permissions import is_coordination
from participation import permissions
from participation.subscriptions import notifications
from quartier.images import ProcessedImage, delete_files, process_image
from quartier.mail import absolute_url, send_portal_mail

from .models import (
    STATUS_TRANSITIONS,
    Answer,
    Channel,
    Comment,
    Flag,
    Idea,
    IdeaStatus,
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


def _log(*, actor, action, idea=None, comment=None, note=""):
    ModerationLog.objects.create(actor=actor, action=action, idea=idea, comment=comment, note=note)


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
    location=None,
    area=None,
    photo=None,
    photo_alt="",
    user=None,
    author_name="",
    author_email="",
    channel=Channel.ONLINE,
    entered_by=None,
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
        topic=topic,
        area=area,
        location=location or None,
        photo_alt=photo_alt,
        author=user if is_account else None,
        author_name="" if is_account else author_name,
        author_email="" if is_account else author_email,
        channel=channel,
        status=IdeaStatus.PENDING,
        confirmed_at=timezone.now() if (is_account or entered_by is not None) else None,
    )
    processed = _processed(photo)
    new_files = _store_photo(idea, processed) if processed else []
    try:
        idea.full_clean()
        idea.save()
        if entered_by is not None:
            _log(actor=entered_by, action="enter", idea=idea, note=idea.get_channel_display())
    except BaseException:
        _discard_files(idea.photo.storage, new_files)
        raise
    if idea.confirmed_at is None and idea.author_email:
        link = absolute_url(
            reverse("participation:idea-confirm", kwargs={"token": idea_confirm_token(idea)})
        )
        transaction.on_commit(
            lambda: send_portal_mail(
                to=idea.author_email,
                subject=_("Bitte bestätigen Sie Ihren Beitrag"),
                template="mail/participation/idea_confirm.txt",
                context={"idea": idea, "link": link, "days": CONFIRM_MAX_AGE.days},
            )
        )
    return idea


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
    transaction.on_commit(partial(_discard_files, storage, old))
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


def _discard_files(storage, names):
    """Delete stored files by name; a failure is logged, never raised (this runs while an
    error is already on its way, or after the commit)."""
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
        _log(actor=by, action="remove_photo", idea=idea)
    return idea


def idea_delete(*, idea, by):
    ensure_may_moderate(user=by, idea=idea)
    files = [idea.photo.name, idea.thumbnail.name]
    _log(actor=by, action="delete", note=f"#{idea.pk} {idea.title}")
    idea.delete()
    transaction.on_commit(partial(_discard_files, idea.photo.storage, files))


# --- moderation ----------------------------------------------------------------------------


def _notify_author(idea, *, subject, template, context):
    address = _author_address(idea)
    if address:
        transaction.on_commit(
            lambda: send_portal_mail(
                to=address, subject=subject, template=template, context={"idea": idea, **context}
            )
        )


def _change_status(idea, status_to):
    allowed = STATUS_TRANSITIONS.get(idea.status, set())
    if status_to != idea.status and status_to not in allowed:
        raise ValidationError(
            _("Von „%(from)s“ kann der Stand nicht zu „%(to)s“ wechseln.")
            % {"from": idea.get_status_display(), "to": IdeaStatus(status_to).label}
        )


@transaction.atomic
def idea_publish(*, idea, by):
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    if idea.confirmed_at is None:
        raise ValidationError(_("Der Beitrag ist noch nicht per E-Mail bestätigt."))
    if idea.status != IdeaStatus.PENDING:
        raise ValidationError(_("Nur wartende Beiträge können veröffentlicht werden."))
    idea.status = IdeaStatus.PUBLISHED
    idea.published_at = timezone.now()
    idea.save(update_fields=["status", "published_at", "updated_at"])
    _log(actor=by, action="publish", idea=idea)
    _notify_author(
        idea,
        subject=_("Ihr Beitrag ist veröffentlicht"),
        template="mail/participation/idea_published.txt",
        context={"link": absolute_url(idea.get_absolute_url())},
    )
    transaction.on_commit(partial(notifications.notify_idea_published, idea))
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
    _log(actor=by, action="reject", idea=idea, note=reason)
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
    status_to = status_to or idea.status
    if idea.status not in (
        IdeaStatus.PUBLISHED,
        IdeaStatus.UNDER_REVIEW,
        IdeaStatus.PLANNED,
        IdeaStatus.REALISED,
        IdeaStatus.NOT_FEASIBLE,
    ):
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
    answer.full_clean()
    answer.save()
    if status_to != idea.status:
        idea.status = status_to
        idea.save(update_fields=["status", "updated_at"])
    _log(actor=by, action="answer", idea=idea, note=f"{answer.status_from} → {status_to}")
    transaction.on_commit(partial(notifications.notify_answer, answer))
    link = absolute_url(idea.get_absolute_url())
    recipients = set(
        Support.objects.filter(idea=idea, notify=True, user__isnull=False)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    author_address = _author_address(idea)
    if author_address:
        recipients.add(author_address)
    for address in sorted(recipients):
        transaction.on_commit(
            lambda address=address: send_portal_mail(
                to=address,
                subject=_("Neuigkeiten zu „%(title)s“") % {"title": " ".join(idea.title.split())},
                template="mail/participation/idea_answered.txt",
                context={"idea": idea, "answer": answer, "link": link},
            )
        )
    return answer


@transaction.atomic
def idea_unhide(*, idea, by):
    """A manager decides flagged content may stay: open flags are resolved."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    idea.is_hidden = False
    idea.hidden_reason = ""
    idea.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    Flag.objects.filter(idea=idea, comment__isnull=True).open().update(resolved_at=timezone.now())
    _log(actor=by, action="unhide", idea=idea)
    return idea


@transaction.atomic
def idea_hide(*, idea, by, reason):
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    ensure_may_moderate(user=by, idea=idea)
    idea.is_hidden = True
    idea.hidden_reason = (reason or "").strip()[:300]
    idea.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    Flag.objects.filter(idea=idea, comment__isnull=True).open().update(resolved_at=timezone.now())
    _log(actor=by, action="hide", idea=idea, note=idea.hidden_reason)
    return idea


# --- comments, supports, flags --------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea, user, text):
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Nur mit einem Konto können Sie kommentieren."))
    if not idea.is_public:
        raise PermissionDenied
    comment = Comment(idea=idea, author=user, text=(text or "").strip())
    comment.full_clean()
    comment.save()
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
    _log(actor=by, action="hide_comment", idea=comment.idea, comment=comment, note=reason)


@transaction.atomic
def comment_unhide(*, comment, by):
    ensure_may_moderate(user=by, idea=comment.idea)
    updated = Comment.objects.filter(pk=comment.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if updated:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    Flag.objects.filter(comment=comment).open().update(resolved_at=timezone.now())
    _log(actor=by, action="unhide_comment", idea=comment.idea, comment=comment)


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
                _log(actor=None, action="auto_hide_comment", idea=idea, comment=comment)
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
                    _log(actor=None, action="auto_hide", idea=idea)
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
