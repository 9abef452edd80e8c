"""Surveys (Umfragen): questions staff put to the people of one or more areas for a period.

Only aggregates leave the database. A group of fewer than `settings.SURVEY_MIN_ANSWERS`
responses is never shown — neither directly nor as the difference between a filtered group and
the whole (see `selectors.survey_results`). Free-text answers are read by staff and shown to the
public only once published. A response carries no identity beyond the account that keeps one
answer per person (visitors are limited by client IP and a signed cookie in the view).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.languages import contribution_language_model_field


def min_answers():
    return getattr(settings, "SURVEY_MIN_ANSWERS", 5)


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def running(self, *, today=None):
        today = today or timezone.localdate()
        return self.published().filter(starts_on__lte=today, ends_on__gte=today)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        matching = Survey.objects.filter(areas__in=areas_managed_by(user)).values("pk")
        return self.filter(pk__in=matching)


class Survey(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    intro = models.TextField(_("Einleitung"), blank=True, max_length=5000)
    privacy_text = models.TextField(
        _("Hinweis zum Datenschutz"),
        blank=True,
        max_length=5000,
        help_text=_("Wird über dem Fragebogen gezeigt."),
    )
    areas = models.ManyToManyField(
        "neighbourhoods.Area",
        verbose_name=_("Gebiete"),
        related_name="surveys",
        help_text=_("Für welche Gebiete die Umfrage gilt (für die ganze Stadt: alle Quartiere)."),
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    allow_visitors = models.BooleanField(
        _("auch ohne Konto"),
        default=True,
        help_text=_("Ohne Konto zählt eine Antwort je Browser und Netzadresse."),
    )
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="survey_period_order"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:survey-detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn.")})

    def is_running(self, today=None):
        today = today or timezone.localdate()
        return self.is_published and self.starts_on <= today <= self.ends_on


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    SCALE = "scale", _("Skala 1–5")
    TEXT = "text", _("Freitext")
    POINT = "point", _("Punkt auf der Karte")
    AREA = "area", _("Gebiet auf der Karte zeichnen")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
MAP_KINDS = {QuestionKind.POINT, QuestionKind.AREA}


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("Umfrage"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    show_if_choice = models.ForeignKey(
        "SurveyChoice",
        verbose_name=_("Nur zeigen, wenn geantwortet wurde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Eine Antwortmöglichkeit einer früheren Frage derselben Umfrage."),
    )

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        condition = self.show_if_choice
        if condition is None:
            return
        earlier = condition.question
        if earlier.survey_id != self.survey_id or (
            (earlier.position, earlier.pk or 0) >= (self.position, self.pk or 10**12)
        ):
            raise ValidationError(
                {"show_if_choice": _("Die Bedingung muss eine frühere Frage dieser Umfrage sein.")}
            )


class SurveyChoice(models.Model):
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("Frage"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text = models.CharField(_("Antwortmöglichkeit"), max_length=200)

    class Meta:
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return f"{self.question.text[:40]} → {self.text}"


class SurveyResponse(models.Model):
    """One person's filled-in questionnaire; `area` is the area they answered for (a filter of
    the results), `channel` how it came in."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("auf Papier")
        DOORSTEP = "doorstep", _("an der Haustür")
        STREET = "street", _("auf der Straße")
        PHONE = "phone", _("am Telefon")

    survey = models.ForeignKey(
        Survey, verbose_name=_("Umfrage"), on_delete=models.CASCADE, related_name="responses"
    )
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    channel = models.CharField(
        _("Weg"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Befragt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_interviews",
    )
    created_at = models.DateTimeField(_("Abgegeben am"), default=timezone.now)

    class Meta:
        verbose_name = _("Umfrage-Antwort")
        verbose_name_plural = _("Umfrage-Antworten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_one_response_per_user",
            )
        ]

    def __str__(self):
        return f"{self.survey} · {self.created_at:%d.%m.%Y}"


class SurveyAnswerQuerySet(models.QuerySet):
    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(response__area__in=areas_managed_by(user))

    def published_texts(self):
        return self.filter(text_status=SurveyAnswer.TextStatus.PUBLISHED).exclude(text="")


class SurveyAnswer(models.Model):
    class TextStatus(models.TextChoices):
        NONE = "none", _("kein Text")
        PENDING = "pending", _("wartet auf Freigabe")
        PUBLISHED = "published", _("veröffentlicht")
        REJECTED = "rejected", _("abgelehnt")

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("Antwort"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("Frage"), on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.ForeignKey(
        SurveyChoice,
        verbose_name=_("Antwortmöglichkeit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    scale = models.PositiveSmallIntegerField(
        _("Wert"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(_("Text"), blank=True, max_length=2000)
    text_status = models.CharField(
        _("Text-Status"), max_length=20, choices=TextStatus.choices, default=TextStatus.NONE
    )
    language = contribution_language_model_field()
    geometry = models.JSONField(_("Geometrie"), null=True, blank=True)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einzelantwort")
        verbose_name_plural = _("Einzelantworten")
        ordering = ["question", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=5)),
                name="survey_answer_scale_range",
            )
        ]

    def __str__(self):
        return f"{self.question} · {self.choice or self.scale or self.text[:30]}"


def helper_contact_months():
    return getattr(settings, "HELPER_CONTACT_MONTHS", 12)


class HelperContactQuerySet(models.QuerySet):
    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by

        return self.filter(area__in=areas_managed_by(user))

    def expired(self, *, today=None):
        return self.filter(delete_after__lt=today or timezone.localdate())


class HelperContact(models.Model):
    """Someone who said in an activating interview (aktivierende Befragung) that they would get
    involved, and gave a contact with their explicit consent. Kept apart from their answers (no
    link to the response), and deleted after `HELPER_CONTACT_MONTHS` (`delete_after`)."""

    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="helper_contacts",
    )
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("Umfrage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helper_contacts",
    )
    topics = models.ManyToManyField(
        "participation.Topic", verbose_name=_("Themen"), blank=True, related_name="+"
    )
    interests = models.CharField(_("Wobei möchte die Person mitmachen?"), max_length=500)
    name = models.CharField(_("Name"), max_length=200)
    contact = models.CharField(
        _("Telefon oder E-Mail"), max_length=200, help_text=_("Wie wir die Person erreichen.")
    )
    consent_at = models.DateTimeField(_("Einwilligung am"), default=timezone.now)
    consent_purpose = models.CharField(_("Zweck der Einwilligung"), max_length=300)
    delete_after = models.DateField(_("Löschen nach"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Aufgenommen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = HelperContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitmach-Kontakt")
        verbose_name_plural = _("Mitmach-Kontakte")
        ordering = ["area", "-consent_at"]

    def __str__(self):
        return f"{self.name} ({self.area})"


class Tie(models.TextChoices):
    LIVE = "live", _("Ich wohne hier")
    WORK = "work", _("Ich arbeite hier")
    SCHOOL = "school", _("Schule oder Ausbildung")
    SHOPPING = "shopping", _("Einkaufen")
    LEISURE = "leisure", _("Freizeit")


def current_year():
    return timezone.localdate().year


class SocialSpaceDrawing(models.Model):
    """'Mein Quartier': the area a resident feels is their neighbourhood (their Sozialraum), as
    they drew it, with the name they use. Stored without identity: `person_key` is a keyed hash
    of the account (empty for visitors), only there to keep one drawing per person and year.
    Only the aggregate grid (`drawings.density_grid`) leaves the database."""

    boundary = models.JSONField(_("Gezeichnete Fläche"))
    name = models.CharField(_("Wie nennen Sie Ihr Viertel?"), max_length=100)
    ties = models.JSONField(_("Verbindung"), default=list, blank=True)
    identifies_with = models.TextField(
        _("Was macht Ihr Viertel für Sie aus?"), blank=True, max_length=1000
    )
    quarter = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Quartier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_space_drawings",
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), default=current_year)
    person_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("Gezeichnet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Viertel-Zeichnung")
        verbose_name_plural = _("Viertel-Zeichnungen („Mein Quartier“)")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_key", "year"],
                condition=~Q(person_key=""),
                name="socialspace_one_drawing_per_person_year",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class PopulationFigure(models.Model):
    """Population per area and group (age group, household type, …) from the statistics office,
    loaded by `manage.py import_population FILE`; the report sets who is reached beside it."""

    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    group = models.CharField(_("Gruppe"), max_length=100)
    count = models.PositiveIntegerField(_("Einwohner"))
    imported_at = models.DateTimeField(_("Eingelesen am"), default=timezone.now)

    class Meta:
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")
        ordering = ["area", "group"]
        constraints = [
            models.UniqueConstraint(fields=["area", "group"], name="population_one_per_group")
        ]

    def __str__(self):
        return f"{self.area} · {self.group}: {self.count}"


class InterviewVolunteer(models.Model):
    """A volunteer (Ehrenamtliche) who may enter interviews on the phone form for `areas` (and
    their sub-areas) — and nothing else: no admin, no results beyond the public ones. Added by
    the areas' staff; the interviews they enter record them as the interviewer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="interview_volunteer",
    )
    areas = models.ManyToManyField(
        "neighbourhoods.Area", verbose_name=_("Gebiete"), related_name="interview_volunteers"
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Ehrenamtliche*r für Befragungen")
        verbose_name_plural = _("Ehrenamtliche für Befragungen")
        ordering = ["user__email"]

    def __str__(self):
        return str(self.user)


class LifeworldQuestion(models.Model):
    """A question of the voluntary self-description (Lebenswelten: age group, household,
    languages spoken at home, years in the quarter …), asked beside the participation forms."""

    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text = models.CharField(_("Frage"), max_length=200)
    multiple = models.BooleanField(_("Mehrfachauswahl"), default=False)
    is_active = models.BooleanField(_("wird gefragt"), default=True)

    class Meta:
        verbose_name = _("Lebenswelten-Frage")
        verbose_name_plural = _("Lebenswelten-Fragen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class LifeworldChoice(models.Model):
    question = models.ForeignKey(
        LifeworldQuestion,
        verbose_name=_("Frage"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text = models.CharField(_("Antwortmöglichkeit"), max_length=100)
    population_group = models.CharField(
        _("Gruppe in den Bevölkerungszahlen"),
        max_length=100,
        blank=True,
        help_text=_(
            "Wie die Statistikstelle diese Gruppe nennt (Spalte „Gruppe“ beim Einlesen), "
            "damit der Bericht Erreichte und Einwohner nebeneinander zeigt."
        ),
    )

    class Meta:
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


def month_start(day=None):
    return (day or timezone.localdate()).replace(day=1)


class LifeworldAnswer(models.Model):
    """One picked choice of a self-description. Deliberately apart from identity: no account, no
    contribution, no time beyond the month — only the area and the period; a random key so
    the order of rows says nothing either. Shown only aggregated, groups ≥ SURVEY_MIN_ANSWERS."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.CASCADE,
        related_name="lifeworld_answers",
    )
    month = models.DateField(_("Monat"), default=month_start)
    choice = models.ForeignKey(
        LifeworldChoice,
        verbose_name=_("Antwort"),
        on_delete=models.CASCADE,
        related_name="answers",
    )

    class Meta:
        verbose_name = _("Lebenswelten-Angabe")
        verbose_name_plural = _("Lebenswelten-Angaben")

    def __str__(self):
        return f"{self.area_id} · {self.month:%m/%Y}"
