"""What followers hear: match an event to subscriptions, record it, send it.

Events (`notify_idea_published`, `notify_answer`, `notify_meeting_created`) find the matching
confirmed subscriptions and write one outbox row (`Notification`) per person and event —
someone following both a quarter and a place near it hears once. They run in a worker
(`followers_notify_later`, queued with the change), never in the request. "Sofort" rows are
handed to the mail outbox (quartier.mail) at once, weekly ones by the periodic job
`weekly-digests` (`send_digests`). Each row is claimed (sent_at) in the transaction that
queues its mail, and each mail has a unique outbox key, so nothing goes out twice.

Area subscriptions match items in the followed area or anywhere below it — sub-areas and
successors, as `area_tree().descendant_ids(…, with_successors=True)` defines it; place
subscriptions match items whose point lies within the radius (`distance_m` over candidates
prefiltered by `box_around`).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import box_around, distance_m, point_lng_lat
from neighbourhoods.models import area_geometry
from neighbourhoods.selectors import area_tree
from participation.ideas.models import PUBLIC_STATUSES, Answer, Idea
from participation.measures.models import MeasureUpdate
from participation.meetings.models import Meeting
from quartier.jobs import run_later
from quartier.languages import lazy_format
from quartier.mail import absolute_url

from .models import MAX_RADIUS_M, Frequency, Notification, NotificationKind, Subscription
from .services import queue_subscriber_mails, subscriber_mail

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
        NotificationKind.MEASURE_UPDATE: (MeasureUpdate, notify_measure_update),
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


def notify_measure_update(update):
    measure = update.measure
    if not measure.is_published:
        return []
    return _record(
        subscriptions=matching_subscriptions(
            area_id=measure.area_id, location=measure.location, flag="notify_answers"
        ),
        kind=NotificationKind.MEASURE_UPDATE,
        event_key=f"measure-update:{update.pk}",
        measure_update=update,
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
    if notification.measure_update_id is not None:
        return notification.measure_update.measure.is_published
    return True


def _display(instance, name):
    """The label of a choice, translated only when the mail is rendered in its recipient's
    language (get_FOO_display() translates at once)."""
    value = getattr(instance, name)
    return dict(instance._meta.get_field(name).flatchoices).get(value, value)


def _item(notification):
    """What a mail says about one event (plain data for the templates)."""
    if notification.meeting_id:
        meeting = notification.meeting
        return {
            "kind": notification.kind,
            "label": _display(notification, "kind"),
            "title": meeting.title,
            "detail": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M} · {meeting.address}",
            "area": meeting.area.name,
            "url": absolute_url(meeting.get_absolute_url()),
        }
    if notification.measure_update_id:
        update = notification.measure_update
        measure = update.measure
        return {
            "kind": notification.kind,
            "label": _display(notification, "kind"),
            "title": measure.title,
            "detail": lazy_format(
                "%(status)s (%(progress)s %%): %(text)s",
                {
                    "status": _display(update, "status"),
                    "progress": update.progress,
                    "text": update.text,
                },
            ),
            "area": measure.area.name,
            "url": absolute_url(measure.get_absolute_url()),
        }
    idea = notification.idea
    detail = ""
    if notification.answer_id:
        detail = lazy_format(
            "%(status)s: %(text)s",
            {
                "status": _display(notification.answer, "status_to"),
                "text": notification.answer.text,
            },
        )
    return {
        "kind": notification.kind,
        "label": _display(notification, "kind"),
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
            "subscription__user",
            "subscription__area",
            "idea__area",
            "answer",
            "meeting__area",
            "measure_update__measure__area",
        )
        .defer(
            *area_geometry(
                "subscription__area",
                "idea__area",
                "meeting__area",
                "measure_update__measure__area",
            )
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
            subscriber_mail(
                notification.subscription,
                key=f"notification:{notification.pk}",
                subject=_("%(label)s: %(title)s"),
                subject_args={"label": item["label"], "title": " ".join(item["title"].split())},
                template="mail/subscriptions/item.txt",
                context={"item": item},
            )
        )
    return queue_subscriber_mails(mails)


def notification_send(*, pk):
    """Queue the mail of one "Sofort" notification (once: a second call finds it sent)."""
    with transaction.atomic():
        return _send_items(Notification.objects.filter(pk=pk))


def send_digests():
    """Queue one mail per subscription with everything pending; returns the number of mails.

    A periodic job (weekly, see hooks.py; or `manage.py send_digests`). Each subscription's
    rows are claimed and its digest queued in one transaction (a savepoint inside the job): a
    second run finds nothing pending, and the mail outbox sends each digest once. One that
    fails (say, a template error) is logged and stays pending; the others still get theirs.
    """
    queued = 0
    subscription_ids = (
        Notification.objects.pending()
        .filter(subscription__confirmed_at__isnull=False)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    for subscription_id in sorted(set(subscription_ids)):
        try:
            queued += _queue_digest(subscription_id)
        except Exception:  # one failing subscription never stops the others: log, go on
            logger.exception("send_digests: subscription %s failed, stays pending", subscription_id)
    return queued


def _queue_digest(subscription_id):
    with transaction.atomic():
        rows = _claim(Notification.objects.filter(subscription_id=subscription_id))
        if not rows:
            return 0
        subscription = rows[0].subscription
        return queue_subscriber_mails(
            [
                subscriber_mail(
                    subscription,
                    key=f"digest:{subscription.pk}:{rows[0].pk}",
                    subject=_("Neues aus „%(target)s“"),
                    subject_args={"target": subscription.target_label},
                    template="mail/subscriptions/digest.txt",
                    context={"items": [_item(row) for row in rows]},
                )
            ]
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
            subscriber_mail(
                notification.subscription,
                key=f"notification:{notification.pk}",
                subject=_("„%(area)s“ hat sich geändert"),
                subject_args={"area": old_name},
                template="mail/subscriptions/area_changed.txt",
                context={"old_name": old_name, "retired": retired, "new_areas": new_areas},
            )
        )
    return queue_subscriber_mails(mails)
