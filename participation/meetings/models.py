"""Meetings (Treffen) of the neighbourhood work and the registrations for them.

A meeting belongs to one area; its organiser is the core team (Quartiersteam) unless a name is
given. Registrations are confirmed while places are left, then they go on a waiting list that
moves up in order (first come, first served) when someone cancels — see
`participation.meetings.services`, which holds the row lock that keeps capacity exact.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import validate_point  # also named by migration 0004
from quartier.languages import mail_language_model_field

MAX_PEOPLE_PER_REGISTRATION = 10
# A meeting lasts at most this long (an action week, not a season): the upcoming list then
# reads the index on starts_at from a month ago, not from the first meeting ever.
MAX_MEETING_DAYS = 31


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(area__isnull=False)

    def upcoming(self, now=None):
        now = now or timezone.now()
        started = now - timedelta(days=MAX_MEETING_DAYS)
        return self.filter(ends_at__gte=now, starts_at__gte=started).order_by("starts_at", "pk")

    def past(self, now=None):
        now = now or timezone.now()
        # a meeting ends after it starts: the index on starts_at reads backwards from now
        return self.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at", "-pk")

    def in_areas(self, area_ids):
        return self.filter(area_id__in=area_ids)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(area__in=areas_managed_by(user))

    def with_counts(self):
        """Annotate `confirmed_people` and `waiting_people` (one query, no per-row lookups).

        Correlated subqueries, not a join with GROUP BY: the database sums the registrations
        of the rows a page shows (after ORDER BY … LIMIT), not of every meeting matching."""

        def people(status):
            total = (
                Registration.objects.filter(meeting=models.OuterRef("pk"), status=status)
                .order_by()
                .values("meeting")
                .annotate(total=Sum("people"))
                .values("total")
            )
            return models.functions.Coalesce(
                models.Subquery(total, output_field=models.IntegerField()), 0
            )

        return self.annotate(
            confirmed_people=people(Registration.Status.CONFIRMED),
            waiting_people=people(Registration.Status.WAITING),
        )


class Meeting(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Stadtteilgespräch")
        WALK = "walk", _("Quartiersspaziergang")
        OFFICE_HOURS = "office_hours", _("Sprechstunde")
        FESTIVAL = "festival", _("Fest")
        WORKSHOP = "workshop", _("Workshop")
        OTHER = "other", _("Sonstiges")

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")
        HELD = "held", _("stattgefunden")

    title = models.CharField(_("Titel"), max_length=160)
    text = models.TextField(_("Beschreibung"), blank=True)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    address = models.CharField(_("Ort (Adresse)"), max_length=255)
    location = models.JSONField(
        _("Punkt auf der Karte"),
        null=True,
        blank=True,
        validators=[validate_point],
        help_text=_('GeoJSON-Punkt, z. B. {"type": "Point", "coordinates": [7.47, 51.5]}.'),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    organiser_name = models.CharField(
        _("Veranstaltet von"),
        max_length=160,
        blank=True,
        help_text=_("Leer lassen, wenn das Quartiersteam einlädt."),
    )
    organiser_partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("Veranstaltender Partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_meetings",
        help_text=_("Optional: ein Partner aus dem Netzwerk, der zum Treffen einlädt."),
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer = ohne Anmeldegrenze.")
    )
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    languages = models.CharField(_("Sprachen"), max_length=160, blank=True, default="Deutsch")
    accessibility_note = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.TextField(_("Protokoll"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Treffen")
        verbose_name_plural = _("Treffen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="meeting_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "starts_at"]),
            # the meetings list's order (upcoming: ahead; past: backwards from now)
            models.Index(fields=["starts_at", "id"], name="meeting_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:meeting-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})
        if (
            self.starts_at
            and self.ends_at
            and self.ends_at - self.starts_at > timedelta(days=MAX_MEETING_DAYS)
        ):
            raise ValidationError(
                {
                    "ends_at": _("Ein Treffen dauert höchstens %(days)s Tage.")
                    % {"days": MAX_MEETING_DAYS}
                }
            )
        if self.capacity is not None and self.capacity <= 0:
            raise ValidationError({"capacity": _("Bitte mindestens einen Platz angeben.")})

    @property
    def organiser_display(self):
        if self.organiser_name:
            return self.organiser_name
        if self.organiser_partner_id:
            return self.organiser_partner.name
        return _("Quartiersteam")

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def is_open_for_registration(self):
        return self.status == self.Status.PLANNED and self.starts_at > timezone.now()

    def _counted(self, name):
        # Every page that shows places reads them from `with_counts()`; a queryset without it
        # would silently show the full capacity as free, so it fails loudly instead.
        if not hasattr(self, name):
            raise RuntimeError(
                "Meeting.places_left/is_full need Meeting.objects.with_counts() (one query)."
            )
        return getattr(self, name)

    @property
    def places_left(self):
        """Free places (needs `with_counts()`); None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self._counted("confirmed_people"), 0)

    @property
    def is_full(self):
        """True when a new sign-up goes to the waiting list: no place left, or someone waits
        already (nobody overtakes the waiting list — see `registration_create`)."""
        if self.capacity is None:
            return False
        return self.places_left == 0 or self._counted("waiting_people") > 0


def new_cancel_token():
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(meeting__area__in=areas_managed_by(user))


class Registration(models.Model):
    """A sign-up for a meeting; the random `cancel_token` makes the link in the mail."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Treffen"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
    )
    name = models.CharField(_("Name"), max_length=120)
    email = models.EmailField(_("E-Mail-Adresse"))
    people = models.PositiveSmallIntegerField(
        _("Anzahl Personen"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE_PER_REGISTRATION)],
    )
    note = models.TextField(
        _("Hinweis"),
        blank=True,
        max_length=1000,
        help_text=_("z. B. Unterstützungsbedarf, Sprache"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    language = mail_language_model_field()
    cancel_token = models.CharField(
        max_length=64, unique=True, default=new_cancel_token, editable=False
    )
    created_at = models.DateTimeField(_("Angemeldet am"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1) & Q(people__lte=MAX_PEOPLE_PER_REGISTRATION),
                name="registration_people_range",
            )
        ]

    def __str__(self):
        return f"{self.name} – {self.meeting}"

    def get_cancel_url(self):
        return reverse(
            "participation:meeting-cancel-registration", kwargs={"token": self.cancel_token}
        )
