"""The area tree: quarters (Quartiere) split over time into social spaces (Sozialräume).

A *Quartier* is one of the city's large quarters (Innenstadt, Südstadt, Nordstadt); a
*Sozialraum* is a smaller social space inside a quarter, the area in which people actually live
their lives. Areas are never deleted: a split or retired area gets `valid_until` and keeps its
data and history; `predecessors` records what an area came from.
"""

import contextvars
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import connection, models
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .geometry import display_boundary

# What reads that need no map can leave out: `Area.objects.defer(*GEOMETRY_FIELDS)` (an exact
# boundary may hold 50,000 points, some 2 MB of JSON to decode per row).
GEOMETRY_FIELDS = ("boundary", "boundary_display")


def area_geometry(*paths):
    """What to `defer()` so that the areas reached through `paths` ("area", "idea__area", …)
    come without their boundaries: `Idea.objects.select_related("area").defer(
    *area_geometry("area"))`."""
    return tuple(f"{path}__{name}" for path in paths for name in GEOMETRY_FIELDS)


# C0 and C1 control characters, DEL and the Unicode line/paragraph separators: an area name is
# one line of plain text (it goes into mail headers, calendars, feeds and XML).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_area_name(value):
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            _("Der Name darf keine Zeilenumbrüche, Tabulatoren oder Steuerzeichen enthalten."),
            code="control_characters",
        )


class AreaQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(valid_from__lte=today).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=today)
        )

    def quarters(self):
        return self.filter(kind=Area.Kind.QUARTER)

    def without_geometry(self):
        """Without the boundaries (choice lists, names, links): they may be megabytes."""
        return self.defer(*GEOMETRY_FIELDS)


class Area(models.Model):
    class Kind(models.TextChoices):
        QUARTER = "quarter", pgettext_lazy("area kind", "Quartier")
        SOCIAL_SPACE = "social_space", _("Sozialraum")

    name = models.CharField(_("Name"), max_length=120, validators=[validate_area_name])
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=140, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.QUARTER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Übergeordnetes Gebiet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    profile_topics = models.TextField(
        _("Welche Themen beschäftigen die Menschen im Quartier?"), blank=True
    )
    profile_identification = models.TextField(
        _("Womit identifizieren sich die Menschen im Quartier?"), blank=True
    )
    profile_lifeworlds = models.TextField(
        _("Welche unterschiedlichen Lebenswelten gibt es im Quartier?"), blank=True
    )
    profile_quality = models.TextField(
        _("Wie kann die Lebensqualität verbessert werden?"), blank=True
    )
    profile_cooperation = models.TextField(
        _("Wie können Bewohnerschaft, Verwaltung und Partner zusammenarbeiten?"), blank=True
    )
    easy_language = models.TextField(
        _("Das Gebiet in Leichter Sprache"),
        blank=True,
        help_text=_(
            "Kurze Sätze, bekannte Wörter, ein Gedanke pro Satz. Einfacher Text, kein HTML: "
            "„## “ beginnt eine Zwischenüberschrift, „- “ einen Aufzählungspunkt. "
            "Leer: das Gebiet hat keine Seite in Leichter Sprache."
        ),
    )
    easy_language_updated_on = models.DateField(_("Leichte Sprache: Stand"), null=True, blank=True)
    boundary = models.JSONField(
        _("Grenze (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Polygon oder MultiPolygon in WGS84 (Längengrad, Breitengrad)."),
    )
    # The copy maps show and the point lookup indexes: `boundary` simplified to about 1 m
    # (geometry.display_boundary), kept in step with it by save(). The exact boundary decides
    # only for points close to the border (lookup.area_id_for_point) and in every check.
    boundary_display = models.JSONField(
        _("Grenze für Karten (vereinfacht)"), null=True, blank=True, editable=False
    )
    colour = models.CharField(_("Farbe auf Karten"), max_length=7, default="#1d5b79")
    valid_from = models.DateField(_("Gültig ab"), default=timezone.localdate)
    valid_until = models.DateField(
        _("Gültig bis"), null=True, blank=True, help_text=_("Leer = aktuelles Gebiet.")
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("Hervorgegangen aus"),
        symmetrical=False,
        related_name="successors",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="area_validity_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if "boundary" not in self.get_deferred_fields() and (
            update_fields is None or "boundary" in update_fields
        ):
            # a derived copy of a field of this row, like a cache: not a domain effect
            self.boundary_display = display_boundary(self.boundary) if self.boundary else None
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "boundary_display"}
        super().save(*args, **kwargs)
        AreaTreeVersion.bump()  # cache invalidation for every process, not a domain effect

    def get_absolute_url(self):
        return reverse("neighbourhoods:area-detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        AreaTreeVersion.bump()
        return result

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until > today)

    def current_siblings(self):
        """The other current areas with the same parent (top-level areas for a quarter)."""
        return Area.objects.current().filter(parent_id=self.parent_id).exclude(pk=self.pk)

    def clean(self):
        from .geometry import validate_area_boundary

        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Ein Gebiet kann nicht in sich selbst liegen.")})
        if self.boundary in (None, "", {}):
            self.boundary = None
            return
        current = self.valid_from is not None and self.is_current
        try:
            self.boundary = validate_area_boundary(
                self.boundary,
                parent=self.parent,
                siblings=self.current_siblings() if current else (),
            )
        except ValidationError as error:
            raise ValidationError({"boundary": error.messages}) from error
        if self.pk:
            self._check_children_stay_inside()

    def _check_children_stay_inside(self):
        from shapely.geometry import shape

        from .geometry import boundary_shape, check_within

        own = shape(self.boundary)
        for child in Area.objects.current().filter(parent_id=self.pk).exclude(boundary=None):
            child_shape = boundary_shape(child.boundary)
            if child_shape is None:
                continue
            try:
                check_within(child_shape, own, parent_name=self.name)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "boundary": _(
                            "Das Teilgebiet „%(child)s“ läge mit dieser Grenze nicht mehr "
                            "innerhalb."
                        )
                        % {"child": child.name}
                    }
                ) from error


class AreaAssignment(models.Model):
    """Who is responsible for an area: coordination (all areas) or a quarter manager."""

    class Role(models.TextChoices):
        COORDINATION = "coordination", _("Quartierskoordination")
        MANAGER = "manager", _("Quartiersmanagement")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="area_assignments",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("Gebiet"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    public_contact = models.TextField(
        _("Öffentlicher Kontakt"),
        blank=True,
        help_text=_("Telefon, E-Mail oder Sprechzeiten, die öffentlich gezeigt werden dürfen."),
    )

    class Meta:
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.area} ({self.get_role_display()})"


# The tree's version as the current request read it (several parts of a page ask): a list
# holding it once read, None outside requests (commands and tests read it each time). A change by
# another process meanwhile is seen by the next request.
_request_tree_version = contextvars.ContextVar("quartier_area_tree_version", default=None)


@receiver(request_started)
def _forget_tree_version_at_start(**kwargs):
    _request_tree_version.set([])


@receiver(request_finished)
def _forget_tree_version_at_end(**kwargs):
    _request_tree_version.set(None)


class AreaTreeVersion(models.Model):
    """One row whose number goes up whenever any area changes.

    Every process compares it with the version its cached geometry index was built from, so
    all gunicorn workers notice a change, not only the one that saved it.
    """

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.version)

    @classmethod
    def current(cls):
        """The version; read once per request (`_request_tree_version`)."""
        known = _request_tree_version.get()
        if known:
            return known[0]
        # read on most requests: plain SQL (building the ORM's query cost ten times the read)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {cls._meta.db_table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        version = row[0] if row else 0
        if known is not None:
            known.append(version)
        return version

    @classmethod
    def bump(cls):
        if known := _request_tree_version.get():
            known.clear()  # the request's own change: read afresh
        updated = cls.objects.filter(pk=1).update(version=models.F("version") + 1)
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


from .addresses.models import Address  # noqa: E402, F401  (Django finds models here)
