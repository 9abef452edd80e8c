"""Offices of the city administration (Fachämter, Dienststellen) and the questions the quarter
team forwards to them (`Forwarding`, Weiterleitung) about an idea, a fund application or a
survey's results — one foreign key per kind, exactly one of them set.

An office answers through a signed link in its mail (no account needed) or, when one of its
accounts is signed in, on its own list of requests. The answer reaches the manager who asked;
they publish it (as the idea's answer, to the applicant, or beside the survey's results) or keep
it internal. The idea's public timeline shows that it was forwarded and when the office answered.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """A city office (Fachamt, Dienststelle) the quarter team forwards questions to."""

    name = models.CharField(_("Name"), max_length=160, unique=True)
    email = models.EmailField(_("E-Mail-Adresse"))
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)
    description = models.TextField(_("Zuständigkeit"), max_length=2000, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konten des Amts"),
        blank=True,
        related_name="offices",
        help_text=_("Wer sich mit einem dieser Konten anmeldet, beantwortet die Anfragen online."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Amt")
        verbose_name_plural = _("Ämter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Decision(models.TextChoices):
    OPEN = "open", _("noch nicht entschieden")
    PUBLISHED = "published", _("als Antwort veröffentlicht")
    INTERNAL = "internal", _("intern behalten")


class ForwardingQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True, withdrawn_at__isnull=True)

    def overdue(self, *, today=None):
        return self.unanswered().filter(deadline__lt=today or timezone.localdate())

    def to_decide(self):
        """Answered by the office, not yet published or kept internal by the quarter team."""
        return self.filter(answered_at__isnull=False, decision=Decision.OPEN)

    def managed_by(self, user):
        """Requests about ideas and applications of the user's areas and surveys of them."""
        from neighbourhoods.permissions import areas_managed_by, is_coordination
        from participation.surveys.models import Survey

        if is_coordination(user):
            return self
        areas = areas_managed_by(user)
        return self.filter(
            models.Q(idea__area__in=areas)
            | models.Q(application__area__in=areas)
            | models.Q(survey__in=Survey.objects.managed_by(user))
        )

    def with_subject_area(self):
        """`subject_area_id`: the area of the idea or application, or the survey's first area
        (for the inbox, the report and the admin's area filter)."""
        from participation.surveys.models import Survey

        survey_area = (
            Survey.areas.through.objects.filter(survey_id=models.OuterRef("survey_id"))
            .order_by("area_id")
            .values("area_id")[:1]
        )
        return self.annotate(
            subject_area_id=Coalesce(
                "idea__area_id",
                "application__area_id",
                models.Subquery(survey_area),
                output_field=models.BigIntegerField(),
            )
        )

    def published_for(self, **subject):
        """The published answers about one subject (`survey=…` or `application=…`)."""
        return self.filter(decision=Decision.PUBLISHED, **subject).select_related("office")

    def for_office_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(office__users=user, withdrawn_at__isnull=True)


def new_secret():
    return secrets.token_urlsafe(24)


class SubjectKind(models.TextChoices):
    """What a request is about: the name of its foreign key."""

    IDEA = "idea", _("Beitrag")
    APPLICATION = "application", _("Fondsantrag")
    SURVEY = "survey", _("Umfrageergebnis")


class Forwarding(models.Model):
    """A question about an idea, a fund application or a survey's results, forwarded to an
    office with a deadline, and its answer."""

    idea = models.ForeignKey(
        "participation.Idea",
        verbose_name=_("Beitrag"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forwardings",
    )
    application = models.ForeignKey(
        "participation.FundApplication",
        verbose_name=_("Fondsantrag"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forwardings",
    )
    survey = models.ForeignKey(
        "participation.Survey",
        verbose_name=_("Umfrage"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forwardings",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("Amt"), on_delete=models.PROTECT, related_name="forwardings"
    )
    question = models.TextField(_("Frage an das Amt"), max_length=3000)
    deadline = models.DateField(_("Antwort erbeten bis"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Weitergeleitet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Weitergeleitet am"), auto_now_add=True)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    answer = models.TextField(_("Antwort des Amts"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Beantwortet mit dem Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_name = models.CharField(_("Beantwortet von"), max_length=120, blank=True)
    decision = models.CharField(
        _("Entscheidung"), max_length=20, choices=Decision.choices, default=Decision.OPEN
    )
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    public_answer = models.ForeignKey(
        "participation.Answer",
        verbose_name=_("Veröffentlicht als Antwort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_text = models.TextField(
        _("Veröffentlichter Text"),
        max_length=5000,
        blank=True,
        help_text=_("Bei Fondsanträgen und Umfragen: was veröffentlicht oder mitgeteilt wurde."),
    )
    reminded_at = models.DateTimeField(_("Zuletzt erinnert am"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("Erinnerungen"), default=0)
    withdrawn_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True)

    objects = ForwardingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Weiterleitung an ein Amt")
        verbose_name_plural = _("Weiterleitungen an Ämter")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["answered_at", "deadline"], name="forwarding_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="forwarding_decision_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="forwarding_answered_with_text",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, application__isnull=True, survey__isnull=True)
                    | models.Q(idea__isnull=True, application__isnull=False, survey__isnull=True)
                    | models.Q(idea__isnull=True, application__isnull=True, survey__isnull=False)
                ),
                name="forwarding_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.office}"

    def get_absolute_url(self):
        return reverse("participation:office-request", kwargs={"pk": self.pk})

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def is_overdue(self):
        return (
            self.answered_at is None
            and self.withdrawn_at is None
            and self.deadline < timezone.localdate()
        )

    @property
    def subject_kind(self):
        if self.idea_id is not None:
            return SubjectKind.IDEA
        return SubjectKind.APPLICATION if self.application_id is not None else SubjectKind.SURVEY

    @property
    def subject(self):
        """The idea, fund application or survey the request is about."""
        return getattr(self, self.subject_kind)

    @property
    def subject_area_name(self):
        if self.subject_kind == SubjectKind.SURVEY:
            return ", ".join(area.name for area in self.survey.areas.all())
        return self.subject.area.name

    @property
    def subject_text(self):
        """What the office reads about the subject (the survey: its introduction)."""
        subject = self.subject
        match self.subject_kind:
            case SubjectKind.IDEA:
                return subject.text
            case SubjectKind.APPLICATION:
                return subject.description
        return subject.intro

    def subject_public_url(self):
        """The subject's public page, if it has one (an application has none)."""
        match self.subject_kind:
            case SubjectKind.IDEA:
                return self.idea.get_absolute_url()
            case SubjectKind.SURVEY:
                return reverse("participation:survey-results", args=[self.survey_id])
        return ""
