"""What followers hear: match an event to subscriptions, record it, send it.

Events (`notify_idea_published`, `notify_answer`, `notify_meeting_created`) find the matching
confirmed subscriptions and write one outbox row (`Notification`) per person and event —
someone following both a quarter and a place near it hears once. "Sofort" rows are mailed
after commit (`notification_send`); weekly ones by `send_digests` (`manage.py send_digests`).
Each row is claimed (sent_at) in the transaction that sends it, so nothing goes out twice.

Area subscriptions match items in the followed area or anywhere below it — sub-areas and
successors, as `area_tree().descendant_ids(…, with_successors=True)` defines it; place
subscriptions match items whose point lies within the radius (`distance_m` over candidates
prefiltered by `box_around`).
"""

import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import box_around, distance_m, point_lng_lat
from neighbourhoods.models import area_geometry
from neighbourhoods.selectors import area_tree
from participation.ideas.models import PUBLIC_STATUSES
from participation.meetings.models import Meeting
from quartier.mail import absolute_url

from .models import MAX_RADIUS_M, Frequency, Notification, NotificationKind, Subscription
from .services import mail_subscriber

logger = logging.getLogger(__name__)


# --- matching ------------------------------------------------------------------------------


def matching_subscriptions(*, area_id, location, flag):
    """Confirmed subscriptions wanting `flag` news about an item in `area_id` at `location`."""
    wanted = Subscription.objects.confirmed().filter(**{flag: True}).select_related("user")
    # an area subscription hears of items in its area or below it: the item's area and
    # everything above it, the inverse of "below with successors"
    above = area_tree().ancestor_ids(area_id, with_predecessors=True) if area_id else ()
    matches = list(wanted.filter(area_id__in=above)) if area_id else []
    point = point_lng_lat(location)
    if point is not None:
        lng, lat = point
        min_lng, min_lat, max_lng, max_lat = box_around(lng, lat, MAX_RADIUS_M)
        candidates = wanted.filter(
            area__isnull=True,
            lat__range=(min_lat, max_lat),
            lng__range=(min_lng, max_lng),
        )
        matches += [
            candidate
            for candidate in candidates
            if distance_m(lng, lat, candidate.lng, candidate.lat) <= candidate.radius_m
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
    """Write outbox rows (skipping events already recorded) and mail "Sofort" ones after
    commit. Returns the new rows."""
    created = []
    with transaction.atomic():
        for subscription in _one_per_person(subscriptions):
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        subscription=subscription, kind=kind, event_key=event_key, **objects
                    )
            except IntegrityError:
                continue
            created.append(notification)
            if subscription.frequency == Frequency.IMMEDIATELY:
                transaction.on_commit(partial(notification_send, pk=notification.pk))
    return created


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
    """Lock and mark pending rows as sent; returns those still worth sending."""
    rows = list(
        queryset.pending()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "subscription__user", "subscription__area", "idea__area", "answer", "meeting__area"
        )
        .defer(*area_geometry("subscription__area", "idea__area", "meeting__area"))
    )
    if not rows:
        return []
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return [row for row in rows if _still_public(row)]


def notification_send(*, pk):
    """Mail one "Sofort" notification (once: a second call finds it sent)."""
    with transaction.atomic():
        rows = _claim(Notification.objects.filter(pk=pk))
        if not rows:
            return 0
        notification = rows[0]
        item = _item(notification)
        return mail_subscriber(
            notification.subscription,
            subject=_("%(label)s: %(title)s")
            % {"label": item["label"], "title": " ".join(item["title"].split())},
            template="mail/subscriptions/item.txt",
            context={"item": item},
        )


def send_digests():
    """One mail per subscription with everything pending; returns the number of mails.

    Meant for cron (weekly). Each subscription's rows are claimed and mailed in one
    transaction: a second run finds nothing pending, a failed mail leaves them pending — and
    is logged, and the other subscriptions still get theirs.
    """
    sent = 0
    subscription_ids = (
        Notification.objects.pending()
        .filter(subscription__confirmed_at__isnull=False)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    for subscription_id in sorted(set(subscription_ids)):
        try:
            sent += _send_digest(subscription_id)
        except Exception:  # one failing subscription never stops the others: log, go on
            logger.exception("send_digests: subscription %s failed, stays pending", subscription_id)
    return sent


def _send_digest(subscription_id):
    with transaction.atomic():
        rows = _claim(Notification.objects.filter(subscription_id=subscription_id))
        if not rows:
            return 0
        subscription = rows[0].subscription
        items = [_item(row) for row in rows]
        return mail_subscriber(
            subscription,
            subject=_("Neues aus „%(target)s“") % {"target": subscription.target_label},
            template="mail/subscriptions/digest.txt",
            context={"items": items},
        )
