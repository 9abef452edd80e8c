"""Measures (Vorhaben): what the city and its partners actually do in a quarter — what Decidim
calls accountability. A measure belongs to one area, has a status and a progress in percent,
milestones with dates, costs and a funding source, a responsible office or partner, and the
ideas and meetings that led to it. Each `MeasureUpdate` is a dated step of its public timeline
and is mailed to the area's followers and to supporters of the linked ideas.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import point_lng_lat, validate_point


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    PREPARING = "preparing", _("in Vorbereitung")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    COMPLETED = "completed", _("abgeschlossen")
    DROPPED = "dropped", _("eingestellt")


class MeasureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_areas(self, area_ids):
        return self.filter(area_id__in=area_ids)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(area__in=areas_managed_by(user))


class Measure(models.Model):
    title = models.CharField(_("Titel"), max_length=160)
    summary = models.TextField(_("Beschreibung"), max_length=5000)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    location = models.JSONField(
        _("Ort (GeoJSON-Punkt)"), null=True, blank=True, validators=[validate_point]
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    costs = models.DecimalField(
        _("Kosten in Euro"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding = models.CharField(
        _("Finanzierung"),
        max_length=200,
        blank=True,
        help_text=_("Z. B. städtischer Haushalt, Förderprogramm, Quartiersfonds."),
    )
    fund = models.ForeignKey(
        "participation.Fund",
        verbose_name=_("Finanziert aus dem Verfügungsfonds"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        help_text=_("Wenn Geld aus einem Quartiers- oder Verfügungsfonds kommt: welcher."),
    )
    responsible_office = models.ForeignKey(
        "participation.Office",
        verbose_name=_("Verantwortliches Amt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    responsible_partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("Verantwortlicher Partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    ideas = models.ManyToManyField(
        "participation.Idea",
        verbose_name=_("Aus diesen Beiträgen"),
        blank=True,
        related_name="measures",
    )
    meetings = models.ManyToManyField(
        "participation.Meeting",
        verbose_name=_("Besprochen bei diesen Treffen"),
        blank=True,
        related_name="measures",
    )
    fund_applications = models.ManyToManyField(
        "participation.FundApplication",
        verbose_name=_("Geförderte Projekte"),
        blank=True,
        related_name="measures",
        help_text=_("Bewilligte Fondsanträge, aus denen das Vorhaben entstand."),
    )
    is_published = models.BooleanField(_("öffentlich"), default=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorhaben")
        verbose_name_plural = _("Vorhaben")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["area", "status"], name="measure_area_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="measure_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values), name="measure_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(costs__isnull=True) | Q(costs__gte=0), name="measure_costs_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:measure-detail", kwargs={"pk": self.pk})

    @property
    def point(self):
        position = point_lng_lat(self.location)
        return None if position is None else (position[1], position[0])

    @property
    def responsible(self):
        return self.responsible_office or self.responsible_partner


class Milestone(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("Vorhaben"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Meilenstein"), max_length=160)
    due_on = models.DateField(_("Geplant für"))
    done_on = models.DateField(_("Erreicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class MeasureUpdate(models.Model):
    """A dated step of the measure's public timeline (status, progress and a text)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Vorhaben"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("Was ist passiert?"), max_length=5000)
    status = models.CharField(_("Stand"), max_length=20, choices=MeasureStatus.choices)
    progress = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geschrieben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Datum"), auto_now_add=True)

    class Meta:
        verbose_name = _("Neuigkeit zum Vorhaben")
        verbose_name_plural = _("Neuigkeiten zu Vorhaben")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="measureupdate_progress"
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.get_status_display()} ({self.progress} %)"
