"""The partner network: organisations that do neighbourhood work together with the core team.

A *Partner* is an organisation (Verein, Kirchengemeinde, Wohlfahrtsverband, städtisches Amt, …)
serving one or more areas. *Handlungsfelder* (FieldOfWork) are the partner's fields of work;
they belong to this app so `network` depends on `neighbourhoods` only (no link to
participation's topics). Contact persons are private unless their public consent is recorded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import validate_point  # also named by migration 0001
from neighbourhoods.permissions import areas_managed_by, is_coordination
from neighbourhoods.selectors import area_tree
from quartier.languages import mail_language_model_field

SAFE_URL_SCHEMES = ("http", "https")
TEXT_MAX = 5000

http_url_validator = URLValidator(
    schemes=list(SAFE_URL_SCHEMES),
    message=_("Bitte geben Sie eine Web-Adresse an, die mit http:// oder https:// beginnt."),
)


class _ManagedList(models.Model):
    """An entry of a list the network team keeps in the admin, shown in its own order."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FieldOfWork(_ManagedList):
    """A Handlungsfeld: what a partner works on (Nachbarschaft, Kultur, Soziales, …)."""

    class Meta(_ManagedList.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")


class TargetGroup(_ManagedList):
    """A group of people / life-world (Lebenswelt) a partner serves."""

    class Meta(_ManagedList.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Verein")
    RELIGIOUS = "religious", _("Religionsgemeinschaft")
    SOCIAL = "social", _("Soziale Einrichtung")
    WELFARE = "welfare", _("Wohlfahrtsverband")
    CITY = "city", _("Städtisches Amt")
    PARISH = "parish", _("Kirchengemeinde")
    INITIATIVE = "initiative", _("Initiative")
    SCHOOL = "school", _("Schule/Kita")
    BUSINESS = "business", _("Unternehmen")
    OTHER = "other", _("Sonstiges")


# One colour per kind (picture, map, legend); all reach 4.5:1 against white text labels.
KIND_COLOURS = {
    PartnerKind.ASSOCIATION: "#1d5b79",
    PartnerKind.RELIGIOUS: "#6b3fa0",
    PartnerKind.SOCIAL: "#2e7d4f",
    PartnerKind.WELFARE: "#b3261e",
    PartnerKind.CITY: "#3d4f5c",
    PartnerKind.PARISH: "#8a5a00",
    PartnerKind.INITIATIVE: "#a3336b",
    PartnerKind.SCHOOL: "#0f6b6b",
    PartnerKind.BUSINESS: "#5c5c00",
    PartnerKind.OTHER: "#52606d",
}


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def serving(self, area_ids):
        """Partners serving any of the given areas (pass sub-areas in too)."""
        return self.filter(
            pk__in=Partner.areas.through.objects.filter(area_id__in=list(area_ids)).values(
                "partner_id"
            )
        )

    def serving_area(self, area):
        return self.serving(area_tree().descendant_ids(area, with_successors=True))

    def managed_by(self, user):
        """Coordination: all. A quarter manager: partners serving their areas (or without
        any area served yet, which only coordination may see)."""
        if is_coordination(user):
            return self.all()
        return self.serving(areas_managed_by(user).values_list("pk", flat=True))

    def for_directory(self):
        """What a directory card shows: the areas' names and the target groups."""
        from neighbourhoods.models import Area

        return self.prefetch_related(
            models.Prefetch("areas", queryset=Area.objects.only("pk", "name").order_by("name")),
            models.Prefetch("target_groups", queryset=TargetGroup.objects.only("pk", "name")),
        )


class Partner(models.Model):
    name = models.CharField(_("Name"), max_length=160)
    # The name case-folded (Unicode-aware, unlike SQLite's LOWER): unique in the database.
    name_key = models.CharField(max_length=160, unique=True, editable=False)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=180, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=PartnerKind.choices)
    description = models.TextField(
        _("Was wir tun"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    areas = models.ManyToManyField(
        "neighbourhoods.Area", verbose_name=_("Gebiete"), related_name="partners", blank=True
    )
    fields_of_work = models.ManyToManyField(
        FieldOfWork, verbose_name=_("Handlungsfelder"), related_name="partners", blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), related_name="partners", blank=True
    )
    address = models.CharField(_("Adresse"), max_length=255, blank=True)
    point = models.JSONField(
        _("Ort auf der Karte (GeoJSON-Punkt)"),
        null=True,
        blank=True,
        validators=[validate_point],
    )
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet des Standorts"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="located_partners",
        help_text=_("Wird aus dem Ort auf der Karte bestimmt."),
    )
    website = models.URLField(
        _("Website"), max_length=300, blank=True, validators=[http_url_validator]
    )
    email = models.EmailField(_("Öffentliche E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Öffentliche Telefonnummer"), max_length=40, blank=True)
    active_since = models.DateField(_("Aktiv seit"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Netzwerkpartner")
        verbose_name_plural = _("Netzwerkpartner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(website="")
                | models.Q(website__startswith="http://")
                | models.Q(website__startswith="https://"),
                name="partner_website_http",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = self.make_name_key(self.name)  # a normalised copy, not a domain effect
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:partner-detail", kwargs={"slug": self.slug})

    def clean(self):
        self.name = " ".join((self.name or "").split())
        self.name_key = self.make_name_key(self.name)
        if Partner.objects.filter(name_key=self.name_key).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"name": _("Einen Partner mit diesem Namen gibt es schon.")}, code="duplicate"
            )

    @staticmethod
    def make_name_key(name):
        return " ".join((name or "").split()).casefold()

    @property
    def colour(self):
        return KIND_COLOURS.get(self.kind, KIND_COLOURS[PartnerKind.OTHER])


class ContactPersonQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_consent_at__isnull=False)


class ContactPerson(models.Model):
    """A person at a partner. Private by default: shown publicly only once `public_consent_at`
    records when the person agreed."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("Partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("Name"), max_length=120)
    role = models.CharField(_("Funktion"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    public_consent_at = models.DateTimeField(
        _("Einwilligung zur Veröffentlichung am"),
        null=True,
        blank=True,
        help_text=_("Leer = nicht öffentlich. Nur mit dokumentierter Einwilligung ausfüllen."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contacts",
        help_text=_("Mit diesem Konto darf die Person den Eintrag des Partners bearbeiten."),
    )

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_public(self):
        return self.public_consent_at is not None


class Cooperation(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", _("Projekt")
        WORKING_GROUP = "working_group", _("Arbeitskreis")
        EVENT = "event", _("Gemeinsame Veranstaltung")
        AGREEMENT = "agreement", _("Kooperationsvereinbarung")

    partners = models.ManyToManyField(
        Partner, verbose_name=_("Partner"), related_name="cooperations"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=160)
    since = models.DateField(_("Seit"), null=True, blank=True)
    until = models.DateField(_("Bis"), null=True, blank=True)
    text = models.TextField(
        _("Beschreibung"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    areas = models.ManyToManyField(
        "neighbourhoods.Area", verbose_name=_("Gebiete"), related_name="cooperations", blank=True
    )

    class Meta:
        verbose_name = _("Kooperation")
        verbose_name_plural = _("Kooperationen")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True)
                | models.Q(since__isnull=True)
                | models.Q(until__gte=models.F("since")),
                name="cooperation_period_ordered",
            )
        ]

    def __str__(self):
        return self.title


class JoinRequest(models.Model):
    """An organisation asks to join the network; coordination accepts (→ Partner) or declines."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("aufgenommen")
        DECLINED = "declined", _("abgelehnt")

    organisation_name = models.CharField(_("Name der Organisation"), max_length=160)
    kind = models.CharField(_("Art der Organisation"), max_length=20, choices=PartnerKind.choices)
    description = models.TextField(
        _("Was macht Ihre Organisation?"), validators=[MaxLengthValidator(TEXT_MAX)]
    )
    areas = models.ManyToManyField(
        "neighbourhoods.Area",
        verbose_name=_("In welchen Gebieten sind Sie aktiv?"),
        related_name="join_requests",
        blank=True,
    )
    contact_name = models.CharField(_("Ihr Name"), max_length=120)
    contact_email = models.EmailField(_("Ihre E-Mail-Adresse"))
    website = models.URLField(
        _("Website"), max_length=300, blank=True, validators=[http_url_validator]
    )
    consent = models.BooleanField(_("Einwilligung in die Verarbeitung"), default=False)
    language = mail_language_model_field()
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decline_reason = models.TextField(_("Begründung der Ablehnung"), blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("Angelegter Partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bearbeitet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("Bearbeitet am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Aufnahmeanfrage")
        verbose_name_plural = _("Aufnahmeanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(website="")
                | models.Q(website__startswith="http://")
                | models.Q(website__startswith="https://"),
                name="joinrequest_website_http",
            ),
        ]

    def __str__(self):
        return self.organisation_name


class PartnerChange(models.Model):
    """One edit of a partner's public entry by a partner account: who, when, what."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("Partner"), on_delete=models.CASCADE, related_name="changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("Geändert am"), auto_now_add=True)
    changes = models.JSONField(
        _("Änderungen"), default=dict, help_text=_("Feld → [vorher, nachher]")
    )

    class Meta:
        verbose_name = _("Änderung am Partnereintrag")
        verbose_name_plural = _("Änderungen an Partnereinträgen")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.partner} – {self.changed_at:%d.%m.%Y %H:%M}"

    @property
    def changed_fields(self):
        return ", ".join(sorted(self.changes))


from .calendars.models import CalendarFeed, EventStatus, PartnerEvent  # noqa: E402, F401
