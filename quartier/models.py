from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class User(AbstractUser):
    """An account: a resident, a partner contact or staff (roles are groups + area assignments)."""

    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    language = models.CharField(
        _("Sprache"),
        max_length=10,
        default="de",
        help_text=_(
            "Die Sprache, in der die Person das Portal nutzt; E-Mails gehen in ihr hinaus."
        ),
    )

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


class LegalPageQuerySet(models.QuerySet):
    def for_key(self, key):
        """The page with `key`; when its row is missing, an unsaved page with the default text
        (so the legally required pages never disappear)."""
        from quartier.legal_defaults import DEFAULTS

        page = self.filter(key=key).first()
        if page is None:
            title, body = DEFAULTS[key]
            page = self.model(key=key, title=title, body=body)
        return page


class LegalPage(models.Model):
    """A page a German public portal must have (Impressum, Datenschutzerklärung, Erklärung zur
    Barrierefreiheit) or the portal explained in Leichte Sprache ("easy-to-read German").

    The set of pages is fixed (created by a data migration); staff with the change permission
    edit their text in the admin. The body is plain text, never HTML: the page escapes it and
    only turns blank lines, "## " headings, "- " list items and addresses into markup.
    """

    class Key(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")
        EASY_LANGUAGE = "leichte-sprache", _("Leichte Sprache")

    key = models.SlugField(_("Seite"), max_length=40, choices=Key.choices, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Einfacher Text, kein HTML. Eine Leerzeile beginnt einen neuen Absatz, "
            "„## “ am Zeilenanfang eine Zwischenüberschrift, „- “ einen Aufzählungspunkt. "
            "Web- und E-Mail-Adressen werden zu Links."
        ),
    )
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    objects = LegalPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rechtliche Seite")
        verbose_name_plural = _("Rechtliche Seiten und Leichte Sprache")
        ordering = ["key"]

    def __str__(self):
        return self.title


class BarrierReport(models.Model):
    """A barrier someone reported through the feedback form of the accessibility statement.

    Name and e-mail are optional (an answer needs the e-mail). Staff read them in the admin.
    """

    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500)
    description = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    language = models.CharField(_("Sprache"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    handled = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Meldung einer Barriere")
        verbose_name_plural = _("Meldungen von Barrieren")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(description=""), name="barrier_report_description_not_empty"
            ),
            models.CheckConstraint(
                condition=~models.Q(page_url=""), name="barrier_report_page_url_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.page_url} ({self.created_at:%d.%m.%Y})" if self.created_at else self.page_url


class RateCounter(models.Model):
    """One window of one rate limit or throttle, when the cache is not Redis.

    Written only by the atomic upserts of `quartier.counters`; `bucket` is a hash of the
    counter's name (e.g. action and IP address), `expires` the window's end in Unix seconds.
    """

    bucket = models.CharField(max_length=64, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires = models.FloatField(db_index=True)

    # Bookkeeping: counting a refused or throttled attempt makes no cached page stale (before,
    # every counted attempt with the database counters emptied the page cache: a flood of
    # failed log-ins made every public page miss).
    shown_on_pages = False

    class Meta:
        verbose_name = _("Zähler einer Begrenzung")
        verbose_name_plural = _("Zähler der Begrenzungen")

    def __str__(self):
        return f"{self.bucket}: {self.hits}"


class AuthenticatorApp(TOTPDevice):
    """A staff member's authenticator app (second factor, django-otp's TOTP device), under a
    name the admin can show; see quartier.accounts.second_factor."""

    class Meta:
        proxy = True
        verbose_name = _("Authenticator-App")
        verbose_name_plural = _("Authenticator-Apps (zweiter Faktor)")


class OutboxQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting to be tried (again) now: not done, not given up, retry time reached."""
        return self.filter(done_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)


class OutboxRow(models.Model):
    """What the outboxes share: written in the transaction that asked for it (so it exists
    exactly when that change was committed), unique by `key` (asking twice queues once), done
    in the transaction that marks it done, retried with growing pauses until MAX_ATTEMPTS."""

    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    failed_at = models.DateTimeField(_("Aufgegeben am"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()
    shown_on_pages = False  # bookkeeping: writing a row makes no cached page stale

    class Meta:
        abstract = True
        ordering = ["next_attempt_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(done_at__isnull=True, failed_at__isnull=True),
                name="%(class)s_due",
            ),
            models.Index(fields=["done_at"], name="%(class)s_done"),
        ]


class OutboxMail(OutboxRow):
    """One mail of the portal, rendered when it was asked for and sent by a task worker
    (quartier.mail). `done_at` is set only after the mail server accepted the mail."""

    recipients = models.JSONField(_("Empfänger"))
    subject = models.CharField(_("Betreff"), max_length=998)
    body = models.TextField(_("Text"))
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)  # [filename, base64, mimetype]

    class Meta(OutboxRow.Meta):
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)}"


class Job(OutboxRow):
    """A piece of background work (quartier.jobs): a function path and its keyword arguments.
    Its database writes and its `done_at` are committed together, so it takes effect once."""

    function = models.CharField(_("Funktion"), max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)

    class Meta(OutboxRow.Meta):
        verbose_name = _("Hintergrundarbeit")
        verbose_name_plural = _("Hintergrundarbeiten")

    def __str__(self):
        return self.key


class FormKey(models.Model):
    """A used one-time form key (quartier.formkeys): the first post with it created something
    and was redirected to `result_url`; later posts with the same key get that URL instead of
    creating it again. Rows older than formkeys.MAX_AGE are purged."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Formularschlüssel")
        verbose_name_plural = _("Formularschlüssel")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="formkey_scope_key_unique")
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"
