from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account: a resident, a partner contact or staff (roles are groups + area assignments)."""

    email = models.EmailField(_("E-Mail-Adresse"), blank=True)

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
