"""Sending a Quartiersbrief: once, through the queue, to each follower once, each mail with the
subscriptions' one-click unsubscribe (participation.subscriptions)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.permissions import is_coordination, manages_area
from neighbourhoods.selectors import area_tree
from participation.subscriptions.models import Subscription
from participation.subscriptions.notifications import _one_per_person
from participation.subscriptions.services import queue_subscriber_mails, subscriber_mail
from quartier.jobs import run_later
from quartier.languages import mail_language
from quartier.mail import absolute_url, queue_mails, render_portal_mail

from .models import Newsletter

TEMPLATE = "mail/participation/newsletter.txt"


def may_write(user, area):
    return is_coordination(user) if area is None else manages_area(user, area)


def ensure_may_write(*, user, newsletter):
    if not may_write(user, newsletter.area):
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))


def followers(newsletter):
    """The confirmed subscriptions that hear of the area: those following it, an area below
    it or a place in it; for the city all. One per person."""
    subscriptions = Subscription.objects.confirmed().select_related("user", "area")
    if newsletter.area_id is not None:
        ids = area_tree().descendant_ids(newsletter.area, with_successors=True)
        in_area = list(subscriptions.filter(area_id__in=ids))
        places = [
            subscription
            for subscription in subscriptions.filter(area__isnull=True)
            if area_id_for_point(subscription.lng, subscription.lat) in ids
        ]
        subscriptions = in_area + places
    return _one_per_person(list(subscriptions))


def context(newsletter):
    return {
        "newsletter": newsletter,
        "link": absolute_url(newsletter.get_absolute_url()),
    }


def _sample_mail(newsletter, *, to, subject, key=None, subject_args=None, language=None):
    """The mail as a follower would get it, with placeholders for the unsubscribe links."""
    return render_portal_mail(
        to=to,
        key=key,
        subject=subject,
        subject_args=subject_args,
        language=language,
        template=TEMPLATE,
        context={
            **context(newsletter),
            "unsubscribe_url": absolute_url("/…"),
            "manage_url": absolute_url("/…"),
        },
    )


def preview(newsletter):
    """The mail as a follower would get it (without a real unsubscribe link)."""
    mail = _sample_mail(newsletter, to="vorschau@example.org", subject=newsletter.subject)
    return {"subject": mail.subject, "body": mail.body}


def newsletter_send_test(*, newsletter, by):
    """Send the unsent letter to the writer's own address first, through the outbox like the
    real ones (a double click within a minute sends one). Returns the address."""
    ensure_may_write(user=by, newsletter=newsletter)
    if newsletter.is_sent:
        raise ValidationError(_("Dieser Quartiersbrief ist bereits versendet."))
    if not by.email:
        raise ValidationError(_("Ihr Konto hat keine E-Mail-Adresse für die Testmail."))
    minute = timezone.now().strftime("%Y%m%d%H%M")
    mail = _sample_mail(
        newsletter,
        to=by.email,
        subject=_("[Test] %(subject)s"),
        subject_args={"subject": newsletter.subject},
        key=f"newsletter-test:{newsletter.pk}:{by.pk}:{minute}",
        language=mail_language(by),
    )
    queue_mails([mail])
    return by.email


@transaction.atomic
def newsletter_send(*, newsletter, by):
    """Mark the newsletter sent and queue its delivery (a job, once): a second call, a double
    click or a second worker sends nothing more."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    ensure_may_write(user=by, newsletter=newsletter)
    if newsletter.is_sent:
        raise ValidationError(_("Dieser Quartiersbrief ist bereits versendet."))
    newsletter.full_clean()
    newsletter.sent_at = timezone.now()
    newsletter.sent_by = by
    newsletter.save(update_fields=["sent_at", "sent_by", "updated_at"])
    run_later(newsletter_deliver, key=f"newsletter:{newsletter.pk}", newsletter_id=newsletter.pk)
    return newsletter


def newsletter_deliver(*, newsletter_id):
    """The job: one mail per follower into the outbox (keys make a rerun queue nothing new)."""
    newsletter = Newsletter.objects.select_related("area").get(pk=newsletter_id)
    base = context(newsletter)
    mails = [
        subscriber_mail(
            subscription,
            key=f"newsletter:{newsletter.pk}:{subscription.recipient.lower()}",
            subject=newsletter.subject,
            template=TEMPLATE,
            context=base,
        )
        for subscription in followers(newsletter)
        if subscription.recipient
    ]
    queued = queue_subscriber_mails(mails)
    Newsletter.objects.filter(pk=newsletter.pk).update(recipients=len([m for m in mails if m]))
    return queued
