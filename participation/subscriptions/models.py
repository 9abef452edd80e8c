"""Following an area or a place: who hears about what, how often, and what was sent.

A `Subscription` follows either an area (and everything below it, also after splits) or a
place (a point with a radius of 300 m – 3 km, for people living at the edge of two quarters).
Accounts follow at once; visitors give an e-mail address and confirm it by link (double
opt-in). `Notification` is the outbox: one row per subscription and event, unique, so nothing
is ever sent twice; `sent_at` records when it went out (at once or in the weekly digest).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import validate_point
from neighbourhoods.models import area_geometry
from quartier.languages import lazy_format

MIN_RADIUS_M = 300
MAX_RADIUS_M = 3000
RADIUS_CHOICES = [300, 500, 1000, 2000, 3000]


def new_subscription_token():
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Sofort")
    WEEKLY = "weekly", _("Wöchentlich gesammelt")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def of_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def for_list(self):
        return (
            self.select_related("area", "user")
            .defer(*area_geometry("area"))
            .order_by("-created_at", "-pk")
        )


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    location = models.JSONField(
        _("Ort (GeoJSON-Punkt)"), null=True, blank=True, validators=[validate_point]
    )
    lat = models.FloatField(null=True, blank=True, editable=False)
    lng = models.FloatField(null=True, blank=True, editable=False)
    radius_m = models.PositiveIntegerField(_("Umkreis in Metern"), null=True, blank=True)
    notify_ideas = models.BooleanField(_("Neue veröffentlichte Beiträge"), default=True)
    notify_answers = models.BooleanField(_("Antworten und Änderungen des Stands"), default=True)
    notify_meetings = models.BooleanField(_("Neue Treffen"), default=True)
    frequency = models.CharField(
        _("Wie oft?"), max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(
        _("Sprache der E-Mails"),
        max_length=10,
        default="de",
        help_text=_("Die Sprache der Seite, auf der die Benachrichtigung bestellt wurde."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_subscription_token)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(area__isnull=False, location__isnull=True, radius_m__isnull=True)
                    | Q(
                        area__isnull=True,
                        location__isnull=False,
                        lat__isnull=False,
                        lng__isnull=False,
                        radius_m__isnull=False,
                    )
                ),
                name="subscription_area_or_place",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__isnull=True)
                | Q(radius_m__gte=MIN_RADIUS_M, radius_m__lte=MAX_RADIUS_M),
                name="subscription_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="subscription_user_or_email",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "area"],
                condition=Q(user__isnull=False, area__isnull=False),
                name="subscription_one_per_user_and_area",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "confirmed_at"], name="subscription_area"),
            models.Index(fields=["lat", "lng"], name="subscription_place"),
        ]

    def __str__(self):
        return f"{self.recipient} → {self.target_label}"

    @property
    def recipient(self):
        if self.user_id:
            return self.user.email
        return self.email

    @property
    def is_place(self):
        return self.area_id is None

    @property
    def target_label(self):
        if self.area_id:
            return self.area.name
        # translated when used: a digest's subject is built before the mail switches language
        return lazy_format(_("Umkreis von %(radius)s m um einen Ort"), {"radius": self.radius_m})

    @property
    def what_labels(self):
        labels = []
        if self.notify_ideas:
            labels.append(self._meta.get_field("notify_ideas").verbose_name)
        if self.notify_answers:
            labels.append(self._meta.get_field("notify_answers").verbose_name)
        if self.notify_meetings:
            labels.append(self._meta.get_field("notify_meetings").verbose_name)
        return labels


class NotificationKind(models.TextChoices):
    IDEA_PUBLISHED = "idea_published", _("Neuer Beitrag")
    ANSWER = "answer", _("Antwort")
    MEETING_CREATED = "meeting_created", _("Neues Treffen")
    AREA_CHANGED = "area_changed", _("Gebiet geändert")
    MEASURE_UPDATE = "measure_update", _("Neues zu einem Vorhaben")


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class Notification(models.Model):
    """One event for one subscription; the unique (subscription, event_key) makes sending
    idempotent."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=80)
    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        "participation.Answer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        "participation.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "neighbourhoods.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    measure_update = models.ForeignKey(
        "participation.MeasureUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Gesendet am"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Versandte Benachrichtigung")
        verbose_name_plural = _("Versandte Benachrichtigungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="notification_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "subscription"], name="notification_pending")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.event_key})"
