"""Following areas and places: subscribe, confirm, change, unsubscribe; the links and the
mail every subscriber gets; what happens to followers when their area is split.

What is sent and when (matching events to subscriptions, the outbox, digests) lives in
`notifications.py`.
"""

import uuid
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import POINT_INVALID_MESSAGE, parse_point
from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area, area_geometry
from quartier.jobs import run_later
from quartier.languages import current_language, mail_language
from quartier.mail import absolute_url, queue_mails, render_portal_mail

from .models import (
    Frequency,
    Notification,
    NotificationKind,
    Subscription,
    new_subscription_token,
)

CONFIRM_SALT = "participation.subscription-confirm"
MANAGE_SALT = "participation.subscription-manage"
CONFIRM_MAX_AGE = 7 * 24 * 3600
OUTSIDE_MESSAGE = _(
    "Der gewählte Punkt liegt außerhalb aller Quartiere. Bitte wählen Sie einen Ort im "
    "Stadtgebiet oder ein Gebiet aus der Liste."
)


# --- links ---------------------------------------------------------------------------------


def confirm_token(subscription):
    return signing.dumps({"s": subscription.pk, "t": subscription.token}, salt=CONFIRM_SALT)


def manage_token(subscription):
    return signing.dumps(subscription.token, salt=MANAGE_SALT)


def subscription_for_manage_token(token):
    try:
        raw = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    return (
        Subscription.objects.select_related("area")
        .defer(*area_geometry("area"))
        .defer(*area_geometry("area"))
        .filter(token=raw)
        .first()
    )


def unsubscribe_url(subscription):
    return absolute_url(
        reverse("participation:subscription-unsubscribe", kwargs={"token": subscription.token})
    )


def manage_url(subscription):
    if subscription.user_id:
        return absolute_url(reverse("participation:subscription-list"))
    return absolute_url(
        reverse("participation:subscription-manage", kwargs={"token": manage_token(subscription)})
    )


def unsubscribe_headers(subscription):
    """RFC 2369 / RFC 8058 headers: one click in the mail program ends the subscription."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscriber_mail(subscription, *, subject, template, context=None, key=None, subject_args=None):
    """The (unsaved, see quartier.mail) mail to a subscriber, with the unsubscribe and manage
    links in body and headers; None without an address."""
    address = subscription.recipient
    if not address:
        return None
    return render_portal_mail(
        to=address,
        key=key,
        subject=subject,
        subject_args=subject_args,
        template=template,
        language=mail_language(
            subscription.user if subscription.user_id else None, fallback=subscription.language
        ),
        context={
            "subscription": subscription,
            "unsubscribe_url": unsubscribe_url(subscription),
            "manage_url": manage_url(subscription),
            **(context or {}),
        },
        headers=unsubscribe_headers(subscription),
    )


def queue_subscriber_mails(mails):
    """Queue rendered subscriber mails (None skipped) in the current transaction; returns how
    many were new."""
    return len(queue_mails([mail for mail in mails if mail is not None]))


# --- subscribing ---------------------------------------------------------------------------


def _place_fields(location):
    try:
        lng, lat = parse_point(location)
    except ValidationError as error:
        raise ValidationError({"location": POINT_INVALID_MESSAGE}) from error
    if area_id_for_point(lng, lat) is None:
        raise ValidationError({"location": OUTSIDE_MESSAGE})
    return {
        "location": {"type": "Point", "coordinates": [lng, lat]},
        "lng": lng,
        "lat": lat,
    }


@transaction.atomic
def subscription_create(
    *,
    user=None,
    email="",
    area=None,
    location=None,
    radius_m=None,
    notify_ideas=True,
    notify_answers=True,
    notify_meetings=True,
    frequency=Frequency.WEEKLY,
):
    """Follow an area (or a place: `location` + `radius_m`).

    An account follows at once; following the same area again only updates the choices. A
    visitor's subscription waits for the confirmation link sent to `email`; asking again for
    the same area re-sends the link (and says nothing about whether the address is known).
    """
    is_account = user is not None and user.is_authenticated
    options = {
        "notify_ideas": notify_ideas,
        "notify_answers": notify_answers,
        "notify_meetings": notify_meetings,
        "frequency": frequency,
    }
    if not (notify_ideas or notify_answers or notify_meetings):
        raise ValidationError(_("Bitte wählen Sie mindestens eine Art von Neuigkeiten."))
    target = {"area": area} if location is None else {**_place_fields(location), "area": None}
    if location is not None:
        target["radius_m"] = radius_m
    if is_account and area is not None:
        existing = Subscription.objects.select_for_update().filter(user=user, area=area).first()
        if existing is not None:
            return subscription_update(subscription=existing, **options)
    email = (email or "").strip()
    if not is_account and area is not None:
        existing = (
            Subscription.objects.select_for_update()
            .filter(user__isnull=True, email__iexact=email, area=area)
            .first()
        )
        if existing is not None:
            if existing.confirmed_at is None:
                _send_confirmation(existing)
            return existing
    subscription = Subscription(
        user=user if is_account else None,
        email="" if is_account else email,
        language=current_language(),
        confirmed_at=timezone.now() if is_account else None,
        **target,
        **options,
    )
    if not is_account and not email:
        raise ValidationError({"email": _("Bitte geben Sie Ihre E-Mail-Adresse an.")})
    subscription.full_clean()
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # a double click raced us to the same area
        if is_account and area is not None:
            return Subscription.objects.get(user=user, area=area)
        raise
    if subscription.confirmed_at is None:
        _send_confirmation(subscription)
    return subscription


def _send_confirmation(subscription):
    link = absolute_url(
        reverse("participation:subscription-confirm", kwargs={"token": confirm_token(subscription)})
    )
    queue_subscriber_mails(
        [
            subscriber_mail(
                subscription,
                subject=_("Bitte bestätigen Sie Ihre Benachrichtigung"),
                template="mail/subscriptions/confirm.txt",
                context={"link": link, "days": CONFIRM_MAX_AGE // 86400},
            )
        ]
    )


@transaction.atomic
def subscription_confirm(*, token):
    """Follow a confirmation link. Returns the subscription, or None for a bad/expired link."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    subscription = (
        Subscription.objects.select_for_update()
        .filter(pk=data.get("s"), token=data.get("t"))
        .first()
    )
    if subscription is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "updated_at"])
    return subscription


def subscription_peek_confirm(*, token):
    """The subscription a confirmation link points to (without confirming), or None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Subscription.objects.select_related("area")
        .filter(pk=data.get("s"), token=data.get("t"))
        .first()
    )


@transaction.atomic
def subscription_update(
    *, subscription, notify_ideas, notify_answers, notify_meetings, frequency, radius_m=None
):
    if not (notify_ideas or notify_answers or notify_meetings):
        raise ValidationError(_("Bitte wählen Sie mindestens eine Art von Neuigkeiten."))
    subscription.notify_ideas = notify_ideas
    subscription.notify_answers = notify_answers
    subscription.notify_meetings = notify_meetings
    subscription.frequency = frequency
    if subscription.is_place and radius_m is not None:
        subscription.radius_m = radius_m
    subscription.full_clean()
    subscription.save()
    return subscription


def subscription_delete(*, subscription):
    """End a subscription; what it had not yet sent is dropped with it."""
    subscription.delete()


def subscription_unsubscribe(*, token):
    """One-click unsubscribe by the token in every mail. Returns True if one was ended."""
    deleted, _rows = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


# --- area splits ---------------------------------------------------------------------------


def followers_split_count(*, old_area, new_areas, retires):
    """The split and retire previews' line for `followers_follow_successors`, without writing:
    {index: n} subscriptions that the new area at `index` gets (moved to the first, copied to
    the others, unless that follower already follows it), {None: n} those staying."""
    followers = list(Subscription.objects.filter(area=old_area).values_list("user_id", "email"))
    if not retires or not new_areas:
        return {None: len(followers)}
    counts = {}
    for index, area in enumerate(new_areas):
        taken_users, taken_emails = set(), set()
        if area.pk:
            for user_id, email in Subscription.objects.filter(area=area).values_list(
                "user_id", "email"
            ):
                if user_id:
                    taken_users.add(user_id)
                else:
                    taken_emails.add(email.casefold())
        fresh = sum(
            1
            for user_id, email in followers
            if (user_id not in taken_users if user_id else email.casefold() not in taken_emails)
        )
        counts[index] = fresh
    counts[None] = len(followers) - counts[0]
    return counts


def followers_follow_successors(*, old_area, new_areas):
    """The `on_split` callback: followers of a split or retired area follow every new area
    and get exactly one mail saying what changed.

    A quarter split into sub-areas stays current and already covers them; a retired area's
    subscriptions move to its first successor and are copied for the others (pending news
    and the unsubscribe link stay with the moved one).
    """
    new_areas = list(new_areas)
    old_area = Area.objects.get(pk=old_area.pk)
    retired = not old_area.is_current
    followers = list(Subscription.objects.filter(area=old_area).select_related("user"))
    for subscription in followers:
        if not retired or not new_areas:
            continue
        first, *others = new_areas
        for area in others:
            already = Subscription.objects.filter(area=area)
            already = (
                already.filter(user=subscription.user)
                if subscription.user_id
                else already.filter(user__isnull=True, email__iexact=subscription.email)
            )
            if already.exists():
                continue
            copy = Subscription.objects.get(pk=subscription.pk)
            copy.pk = None
            copy.token = new_subscription_token()
            copy.area = area
            copy.save()
        taken = Subscription.objects.filter(area=first)
        taken = (
            taken.filter(user=subscription.user)
            if subscription.user_id
            else taken.filter(user__isnull=True, email__iexact=subscription.email)
        )
        if taken.exists():
            continue  # already follows it; this one stays on the former area
        subscription.area = first
        subscription.save(update_fields=["area", "updated_at"])
    links = [(area.name, absolute_url(area.get_absolute_url())) for area in new_areas]
    for subscription in followers:
        if subscription.confirmed_at is None:
            continue
        Notification.objects.get_or_create(
            subscription=subscription,
            event_key=f"area-changed:{old_area.pk}",
            defaults={"kind": NotificationKind.AREA_CHANGED, "area": old_area},
        )
    from .notifications import followers_area_changed  # it sends with this module's mail

    run_later(
        followers_area_changed,
        key=f"area-changed:{old_area.pk}:{uuid.uuid4().hex}",
        area_id=old_area.pk,
        old_name=old_area.name,
        retired=retired,
        new_areas=links,
    )


# --- retention -----------------------------------------------------------------------------

# Subscriptions never confirmed are deleted this long after they were made.
UNCONFIRMED_RETENTION = timedelta(days=14)


def subscriptions_purge_unconfirmed(*, now=None, dry_run=False):
    """Delete subscriptions never confirmed within UNCONFIRMED_RETENTION. Returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_RETENTION
    stale = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        _count, per_model = stale.delete()
    return per_model.get(Subscription._meta.label, 0)
