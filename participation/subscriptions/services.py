"""Following areas and places: subscribe, confirm, change, unsubscribe; notify and send.

Events (`notify_idea_published`, `notify_answer`, `notify_meeting_created`) find the matching
confirmed subscriptions and write one outbox row (`Notification`) per person and event —
someone following both a quarter and a place near it hears once. They run in a worker
(`followers_notify_later`, queued with the change), never in the request. "Sofort" rows are
handed to the mail outbox (quartier.mail) at once, weekly ones by the weekly digest job. Each
row is claimed (sent_at) in the transaction that queues its mail, and each mail has a unique
outbox key, so nothing goes out twice.

Area subscriptions match items in the followed area or anywhere below it — sub-areas and
successors, as `neighbourhoods.permissions.descendant_ids` defines it; place subscriptions
match items whose point lies within the radius (haversine over candidates prefiltered by a
lat/lng box).
"""

import math
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area
from participation.ideas.models import PUBLIC_STATUSES, Answer, Idea
from participation.meetings.models import Meeting
from quartier.jobs import run_later
from quartier.mail import absolute_url, queue_mails, render_portal_mail

from .models import (
    MAX_RADIUS_M,
    Frequency,
    Notification,
    NotificationKind,
    Subscription,
    new_subscription_token,
)

CONFIRM_SALT = "participation.subscription-confirm"
MANAGE_SALT = "participation.subscription-manage"
CONFIRM_MAX_AGE = 7 * 24 * 3600
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320
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
    return Subscription.objects.select_related("area").filter(token=raw).first()


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


def _mail(subscription, *, subject, template, context=None, key=None):
    """The (unsaved) mail to a subscription's address, with its unsubscribe links; None
    without an address."""
    address = subscription.recipient
    if not address:
        return None
    return render_portal_mail(
        to=address,
        key=key,
        subject=subject,
        template=template,
        context={
            "subscription": subscription,
            "unsubscribe_url": unsubscribe_url(subscription),
            "manage_url": manage_url(subscription),
            **(context or {}),
        },
        headers=unsubscribe_headers(subscription),
    )


def _queue(mails):
    """Queue rendered mails (None skipped); returns how many were new."""
    return len(queue_mails([mail for mail in mails if mail is not None]))


# --- subscribing ---------------------------------------------------------------------------


def _place_fields(location):
    lng, lat = (float(number) for number in location["coordinates"][:2])
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
    _queue(
        [
            _mail(
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


# --- matching ------------------------------------------------------------------------------


def _ancestor_ids(area_id):
    """`area_id` and every area whose `descendant_ids` include it (parents, predecessors)."""
    upward = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            upward.setdefault(pk, set()).add(parent_id)
    for new_id, old_id in Area.predecessors.through.objects.values_list(
        "from_area_id", "to_area_id"
    ):
        upward.setdefault(new_id, set()).add(old_id)
    result, todo = set(), [area_id]
    while todo:
        pk = todo.pop()
        if pk in result:
            continue
        result.add(pk)
        todo.extend(upward.get(pk, ()))
    return result


def haversine_m(lng1, lat1, lng2, lat2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _point(location):
    try:
        lng, lat = (float(number) for number in location["coordinates"][:2])
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    return lng, lat


def matching_subscriptions(*, area_id, location, flag):
    """Confirmed subscriptions wanting `flag` news about an item in `area_id` at `location`."""
    wanted = Subscription.objects.confirmed().filter(**{flag: True}).select_related("user")
    matches = list(wanted.filter(area_id__in=_ancestor_ids(area_id))) if area_id else []
    point = _point(location) if location else None
    if point is not None:
        lng, lat = point
        d_lat = MAX_RADIUS_M / METRES_PER_DEGREE
        d_lng = MAX_RADIUS_M / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        candidates = wanted.filter(
            area__isnull=True,
            lat__range=(lat - d_lat, lat + d_lat),
            lng__range=(lng - d_lng, lng + d_lng),
        )
        matches += [
            candidate
            for candidate in candidates
            if haversine_m(lng, lat, candidate.lng, candidate.lat) <= candidate.radius_m
        ]
    return matches


def _one_per_person(subscriptions):
    """Someone following an area and a place nearby hears once: the first subscription per
    recipient wins, preferring one that sends at once."""
    chosen = {}
    ordered = sorted(
        subscriptions, key=lambda sub: (sub.frequency != Frequency.IMMEDIATELY, sub.pk)
    )
    for subscription in ordered:
        key = f"user:{subscription.user_id}" if subscription.user_id else subscription.email.lower()
        chosen.setdefault(key, subscription)
    return list(chosen.values())


def _record(*, subscriptions, kind, event_key, **objects):
    """Write outbox rows (skipping people who have this event already) and queue the mails of
    "Sofort" ones in the same transaction. Returns the new rows.

    Runs in a worker (see `followers_notify`): a few queries and one mail rendering per
    follower, however many there are."""
    chosen = {subscription.pk: subscription for subscription in _one_per_person(subscriptions)}
    with transaction.atomic():
        known = set(
            Notification.objects.filter(
                event_key=event_key, subscription_id__in=chosen
            ).values_list("subscription_id", flat=True)
        )
        Notification.objects.bulk_create(
            [
                Notification(subscription=chosen[pk], kind=kind, event_key=event_key, **objects)
                for pk in chosen
                if pk not in known
            ],
            ignore_conflicts=True,  # a parallel run of the same event
        )
        created = list(
            Notification.objects.filter(
                event_key=event_key, subscription_id__in=set(chosen) - known
            ).order_by("pk")
        )
        immediate = [
            row.pk
            for row in created
            if chosen[row.subscription_id].frequency == Frequency.IMMEDIATELY
        ]
        if immediate:
            _send_items(Notification.objects.filter(pk__in=immediate))
    return created


def followers_notify(*, event, pk):
    """The background job behind every event followers hear about (queued by `run_later` in
    the transaction of the change, so the request itself does the same few writes whether an
    area has no followers or thousands). Returns the number of new outbox rows."""
    model, notify = {
        NotificationKind.IDEA_PUBLISHED: (Idea, notify_idea_published),
        NotificationKind.ANSWER: (Answer, notify_answer),
        NotificationKind.MEETING_CREATED: (Meeting, notify_meeting_created),
    }[event]
    item = model.objects.filter(pk=pk).first()
    return len(notify(item)) if item is not None else 0


def followers_notify_later(*, event, pk):
    """Tell the followers about `event` of object `pk` from a worker, once committed."""
    run_later(followers_notify, key=f"followers:{event}:{pk}", event=str(event), pk=pk)


def notify_idea_published(idea):
    if not idea.is_public:
        return []
    return _record(
        subscriptions=matching_subscriptions(
            area_id=idea.area_id, location=idea.location, flag="notify_ideas"
        ),
        kind=NotificationKind.IDEA_PUBLISHED,
        event_key=f"idea:{idea.pk}",
        idea=idea,
    )


def notify_answer(answer):
    idea = answer.idea
    if not idea.is_public:
        return []
    return _record(
        subscriptions=matching_subscriptions(
            area_id=idea.area_id, location=idea.location, flag="notify_answers"
        ),
        kind=NotificationKind.ANSWER,
        event_key=f"answer:{answer.pk}",
        answer=answer,
        idea=idea,
    )


def notify_meeting_created(meeting):
    if meeting.status != Meeting.Status.PLANNED:
        return []
    return _record(
        subscriptions=matching_subscriptions(
            area_id=meeting.area_id, location=meeting.location, flag="notify_meetings"
        ),
        kind=NotificationKind.MEETING_CREATED,
        event_key=f"meeting:{meeting.pk}",
        meeting=meeting,
    )


# --- sending -------------------------------------------------------------------------------


def _still_public(notification):
    """Content hidden, rejected or cancelled since the event is not sent."""
    if notification.idea_id is not None:
        idea = notification.idea
        if idea.is_hidden or idea.status not in PUBLIC_STATUSES or idea.confirmed_at is None:
            return False
    if notification.meeting_id is not None:
        return notification.meeting.status == Meeting.Status.PLANNED
    return True


def _item(notification):
    """What a mail says about one event (plain data for the templates)."""
    if notification.meeting_id:
        meeting = notification.meeting
        return {
            "kind": notification.kind,
            "label": notification.get_kind_display(),
            "title": meeting.title,
            "detail": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M} · {meeting.address}",
            "area": meeting.area.name,
            "url": absolute_url(meeting.get_absolute_url()),
        }
    idea = notification.idea
    detail = ""
    if notification.answer_id:
        detail = f"{notification.answer.get_status_to_display()}: {notification.answer.text}"
    return {
        "kind": notification.kind,
        "label": notification.get_kind_display(),
        "title": idea.title,
        "detail": detail,
        "area": idea.area.name,
        "url": absolute_url(idea.get_absolute_url()),
    }


def _claim(queryset):
    """Lock and mark pending rows as sent (handed to the mail outbox in this same
    transaction); returns those still worth sending."""
    rows = list(
        queryset.pending()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "subscription__user", "subscription__area", "idea__area", "answer", "meeting__area"
        )
    )
    if not rows:
        return []
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return [row for row in rows if _still_public(row)]


def _send_items(queryset):
    """One mail per pending row of `queryset` ("Sofort"); returns how many were queued."""
    mails = []
    for notification in _claim(queryset):
        item = _item(notification)
        mails.append(
            _mail(
                notification.subscription,
                key=f"notification:{notification.pk}",
                subject=_("%(label)s: %(title)s")
                % {"label": item["label"], "title": " ".join(item["title"].split())},
                template="mail/subscriptions/item.txt",
                context={"item": item},
            )
        )
    return _queue(mails)


def notification_send(*, pk):
    """Queue the mail of one "Sofort" notification (once: a second call finds it sent)."""
    with transaction.atomic():
        return _send_items(Notification.objects.filter(pk=pk))


def send_digests():
    """Queue one mail per subscription with everything pending; returns the number of mails.

    A periodic job (weekly, see hooks.py; or `manage.py send_digests`). Each subscription's
    rows are claimed and its digest queued in one transaction: a second run finds nothing
    pending, and the mail outbox sends each digest once.
    """
    queued = 0
    subscription_ids = (
        Notification.objects.pending()
        .filter(subscription__confirmed_at__isnull=False)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    for subscription_id in sorted(set(subscription_ids)):
        with transaction.atomic():
            rows = _claim(Notification.objects.filter(subscription_id=subscription_id))
            if not rows:
                continue
            subscription = rows[0].subscription
            queued += _queue(
                [
                    _mail(
                        subscription,
                        key=f"digest:{subscription.pk}:{rows[0].pk}",
                        subject=_("Neues aus „%(target)s“") % {"target": subscription.target_label},
                        template="mail/subscriptions/digest.txt",
                        context={"items": [_item(row) for row in rows]},
                    )
                ]
            )
    return queued


# --- area splits ---------------------------------------------------------------------------


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
    run_later(
        followers_area_changed,
        key=f"area-changed:{old_area.pk}:{uuid.uuid4().hex}",
        area_id=old_area.pk,
        old_name=old_area.name,
        retired=retired,
        new_areas=links,
    )


def followers_area_changed(*, area_id, old_name, retired, new_areas):
    """The job that mails every follower of a split or retired area once."""
    mails = []
    rows = _claim(
        Notification.objects.filter(
            kind=NotificationKind.AREA_CHANGED, event_key=f"area-changed:{area_id}"
        )
    )
    for notification in rows:
        mails.append(
            _mail(
                notification.subscription,
                key=f"notification:{notification.pk}",
                subject=_("„%(area)s“ hat sich geändert") % {"area": old_name},
                template="mail/subscriptions/area_changed.txt",
                context={"old_name": old_name, "retired": retired, "new_areas": new_areas},
            )
        )
    return _queue(mails)
