"""Writes on measures: publish, post an update (status, progress, text). Updates reach the
area's followers (participation.subscriptions, by their chosen frequency) and, by mail, the
supporters of the linked ideas who asked for news — from a worker, once committed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from neighbourhoods.permissions import manages_area
from participation.ideas.models import Support
from participation.subscriptions import notifications
from participation.subscriptions.models import NotificationKind
from quartier.jobs import run_later
from quartier.languages import mail_language
from quartier.mail import absolute_url, queue_mails, render_portal_mail

from .models import Measure, MeasureStatus, MeasureUpdate


def ensure_may_edit(*, user, measure):
    if not manages_area(user, measure.area):
        raise PermissionDenied(_("Sie sind für dieses Gebiet nicht zuständig."))


@transaction.atomic
def measure_post_update(*, measure, by, text, status, progress):
    """A new step of the measure's timeline; the measure takes its status and progress."""
    measure = (
        Measure.objects.select_for_update(of=("self",)).select_related("area").get(pk=measure.pk)
    )
    ensure_may_edit(user=by, measure=measure)
    if status == MeasureStatus.COMPLETED:
        progress = 100
    update = MeasureUpdate(
        measure=measure, text=(text or "").strip(), status=status, progress=progress, author=by
    )
    update.full_clean()
    update.save()
    measure.status, measure.progress = status, progress
    measure.full_clean()
    measure.save(update_fields=["status", "progress", "updated_at"])
    if measure.is_published:
        notifications.followers_notify_later(event=NotificationKind.MEASURE_UPDATE, pk=update.pk)
        run_later(
            measure_update_supporters_mail,
            key=f"measure-update-supporters:{update.pk}",
            update_id=update.pk,
        )
    return update


@transaction.atomic
def measure_publish(*, measure, by):
    measure = (
        Measure.objects.select_for_update(of=("self",)).select_related("area").get(pk=measure.pk)
    )
    ensure_may_edit(user=by, measure=measure)
    if measure.is_published:
        raise ValidationError(_("Das Vorhaben ist bereits öffentlich."))
    measure.is_published = True
    measure.save(update_fields=["is_published", "updated_at"])
    return measure


def measure_update_supporters_mail(*, update_id):
    """The job mailing an update to the supporters of the measure's ideas who asked for news:
    one mail per address, however many of the ideas they support."""
    update = MeasureUpdate.objects.select_related("measure").filter(pk=update_id).first()
    if update is None or not update.measure.is_published:
        return 0
    measure = update.measure
    recipients = {
        address: mail_language(fallback=language)
        for address, language in Support.objects.filter(
            idea__measures=measure, notify=True, user__isnull=False
        )
        .exclude(user__email="")
        .values_list("user__email", "user__language")
    }
    title = " ".join(measure.title.split())
    return len(
        queue_mails(
            [
                render_portal_mail(
                    to=address,
                    key=f"measure-update:{update.pk}:{address.lower()}",
                    subject=_("Neues zum Vorhaben „%(title)s“"),
                    subject_args={"title": title},
                    language=language,
                    template="mail/participation/measure_update.txt",
                    context={
                        "measure": measure,
                        "update": update,
                        "link": absolute_url(measure.get_absolute_url()),
                    },
                )
                for address, language in sorted(
                    recipients.items(), key=lambda item: item[0].lower()
                )
            ]
        )
    )
