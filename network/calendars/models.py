"""Partners' own events: posted by a partner account (moderated before they appear) or
imported from the partner's iCalendar feed (the feed is approved once, then imported
regularly). Shown in the quarter's calendar (/treffen/) with the partner as organiser."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("Partner"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    url = models.URLField(_("Adresse des Kalenders (iCalendar)"), max_length=500)
    approved_at = models.DateTimeField(_("Freigegeben am"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    last_import_at = models.DateTimeField(_("Zuletzt eingelesen am"), null=True, blank=True)
    last_error = models.CharField(_("Letzter Fehler"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("Fehler seit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender eines Partners")
        verbose_name_plural = _("Kalender der Partner")
        ordering = ["partner__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "url"], name="calendarfeed_once"),
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="calendarfeed_url_http",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.url}"


class EventStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    APPROVED = "approved", _("freigegeben")
    REJECTED = "rejected", _("abgelehnt")
    CANCELLED = "cancelled", _("abgesagt")


class PartnerEventQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=EventStatus.APPROVED, partner__is_active=True)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")


class PartnerEvent(models.Model):
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("Partner"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    feed = models.ForeignKey(
        CalendarFeed,
        verbose_name=_("Aus dem Kalender"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    uid = models.CharField(_("UID"), max_length=255, blank=True)
    title = models.CharField(_("Titel"), max_length=160)
    text = models.TextField(_("Beschreibung"), max_length=2000, blank=True)
    place = models.CharField(_("Ort"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    status = models.CharField(
        _("Stand"), max_length=20, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    objects = PartnerEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Termin eines Partners")
        verbose_name_plural = _("Termine der Partner")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "ends_at"], name="partnerevent_upcoming")]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "uid"],
                condition=models.Q(feed__isnull=False),
                name="partnerevent_feed_uid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="partnerevent_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="partnerevent_status"
            ),
        ]

    def __str__(self):
        return self.title
