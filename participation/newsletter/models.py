"""The Quartiersbrief: a newsletter staff write to the followers of an area (or of the whole
city, without an area), send once through the background queue, and keep in a public archive
on the area page (also printable as an A4 notice with a QR code for house entrances)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NewsletterQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(sent_at__isnull=False)

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by, is_coordination

        if is_coordination(user):
            return self
        return self.filter(area__in=areas_managed_by(user))


class Newsletter(models.Model):
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletters",
        help_text=_("Leer: an alle, die ein Gebiet oder einen Ort in der Stadt verfolgen."),
    )
    subject = models.CharField(_("Betreff"), max_length=160)
    body = models.TextField(
        _("Text"),
        max_length=20000,
        help_text=_("Reiner Text; Leerzeilen trennen Absätze. Links werden ausgeschrieben."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geschrieben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Versendet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.PositiveIntegerField(_("Empfänger"), default=0)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quartiersbrief")
        verbose_name_plural = _("Quartiersbriefe")
        ordering = ["-sent_at", "-created_at"]
        indexes = [models.Index(fields=["area", "-sent_at"], name="newsletter_area_sent")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("participation:newsletter-detail", kwargs={"pk": self.pk})

    @property
    def is_sent(self):
        return self.sent_at is not None
