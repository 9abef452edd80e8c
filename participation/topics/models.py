from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A managed list of topics (Verkehr, Grün & Spielen, …) for ideas and the mood barometer."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
