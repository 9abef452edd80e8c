"""Offices of the city administration (Fachämter, Dienststellen) and the questions the quarter
team forwards to them about an idea (`Forwarding`, Weiterleitung).

An office answers through a signed link in its mail (no account needed) or, when one of its
accounts is signed in, on its own list of requests. The answer reaches the manager who asked;
they publish it as the idea's answer or keep it internal. The idea's public timeline shows that
it was forwarded and when the office answered.
"""

import secrets

from django.conf import settings
from django.db import models
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
        from neighbourhoods.permissions import areas_managed_by, is_coordination

        if is_coordination(user):
            return self
        return self.filter(idea__area__in=areas_managed_by(user))

    def for_office_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(office__users=user, withdrawn_at__isnull=True)


def new_secret():
    return secrets.token_urlsafe(24)


class Forwarding(models.Model):
    """A question about an idea, forwarded to an office with a deadline, and its answer."""

    idea = models.ForeignKey(
        "participation.Idea",
        verbose_name=_("Beitrag"),
        on_delete=models.CASCADE,
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
        ]

    def __str__(self):
        return f"{self.idea} → {self.office}"

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
