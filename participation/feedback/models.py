"""The mood barometer (Stimmungsbarometer): how well people feel in their quarter, 1–5.

Only aggregates leave the database: per area and quarter-year, and only once at least
`settings.MOOD_MIN_ANSWERS` answers exist, so nobody can be singled out. Comments are shown
to the public only after staff published them.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.languages import contribution_language_model_field


def current_month():
    return timezone.localdate().replace(day=1)


def min_answers():
    return getattr(settings, "MOOD_MIN_ANSWERS", 5)


class MoodAnswerQuerySet(models.QuerySet):
    def in_areas(self, area_ids):
        return self.filter(area_id__in=area_ids)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(area__in=areas_managed_by(user))

    def published_comments(self):
        return self.filter(comment_status=MoodAnswer.CommentStatus.PUBLISHED).exclude(comment="")

    def quarterly(self, *, since=None):
        """[{year, quarter, average, count}] per quarter-year with enough answers, newest first.

        The average is sum / count in Python, as in `feedback.selectors.mood_figures`, so the
        same answers give the same figure on every page."""
        since = since or (timezone.localdate().replace(day=1) - datetime.timedelta(days=730))
        rows = list(
            self.filter(month__gte=since)
            .annotate(year=ExtractYear("month"), quarter=ExtractQuarter("month"))
            .values("year", "quarter")
            .annotate(total=Sum("score"), count=Count("pk"))
            .filter(count__gte=min_answers())
            .order_by("-year", "-quarter")
        )
        for row in rows:
            row["average"] = row.pop("total") / row["count"]
        return rows


class MoodAnswer(models.Model):
    class CommentStatus(models.TextChoices):
        NONE = "none", _("kein Kommentar")
        PENDING = "pending", _("wartet auf Freigabe")
        PUBLISHED = "published", _("veröffentlicht")
        REJECTED = "rejected", _("abgelehnt")

    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="mood_answers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mood_answers",
    )
    score = models.PositiveSmallIntegerField(
        _("Wie wohl fühlen Sie sich?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    aspect = models.ForeignKey(
        "participation.Topic",
        verbose_name=_("Worum geht es vor allem?"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mood_answers",
    )
    comment = models.TextField(_("Kommentar"), blank=True, max_length=2000)
    comment_status = models.CharField(
        _("Kommentar-Status"),
        max_length=20,
        choices=CommentStatus.choices,
        default=CommentStatus.NONE,
    )
    language = contribution_language_model_field()
    month = models.DateField(_("Monat"), default=current_month)
    created_at = models.DateTimeField(_("Abgegeben am"), default=timezone.now)

    objects = MoodAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stimmungs-Antwort")
        verbose_name_plural = _("Stimmungsbarometer")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="mood_score_range"
            ),
            models.UniqueConstraint(
                fields=["user", "area", "month"],
                condition=Q(user__isnull=False),
                name="mood_one_answer_per_user_area_month",
            ),
        ]
        indexes = [models.Index(fields=["area", "month"])]

    def __str__(self):
        return f"{self.area} · {self.month:%m/%Y} · {self.score}"
