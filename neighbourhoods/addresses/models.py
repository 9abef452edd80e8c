"""The address register (Adressverzeichnis): the city's official addresses with their points.

Loaded by `manage.py import_addresses`; the address search (`selectors.py`) finds the point of
what a resident types and the area tree (`neighbourhoods.lookup`) the area around that point —
so the register never stores an area, and an area split needs no address update.
"""

from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from .normalise import housenumber_key, street_key


class AddressQuerySet(models.QuerySet):
    def with_prefix(self, key):
        """Addresses whose search key starts with `key`, through the index on both databases:
        on PostgreSQL `LIKE 'key%'` (a varchar_pattern_ops index, made by the migration), on
        SQLite a range on the plain index (its LIKE ignores indexes)."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(search_key__startswith=key)
        return self.filter(search_key__gte=key, search_key__lt=key + "\U0010ffff")


class Address(models.Model):
    street = models.CharField(_("Straße"), max_length=120)
    housenumber = models.CharField(_("Hausnummer"), max_length=20)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=80, blank=True)
    lng = models.FloatField(_("Längengrad"))
    lat = models.FloatField(_("Breitengrad"))
    street_key = models.CharField(max_length=140, editable=False)
    housenumber_key = models.CharField(max_length=20, editable=False)
    # street key + house-number key: what prefix search compares ("marktstrasse5a").
    search_key = models.CharField(max_length=160, editable=False)
    source_id = models.CharField(
        _("Kennung in der Quelle"), max_length=40, blank=True, help_text=_("z. B. die OI der HK-DE")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")
        ordering = ["street_key", "housenumber_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_key", "housenumber_key", "postcode"], name="address_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(lng__gte=-180, lng__lte=180, lat__gte=-90, lat__lte=90),
                name="address_point_range",
            ),
        ]
        indexes = [models.Index(fields=["search_key"], name="address_search_key")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    @property
    def label(self):
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return f"{self.street} {self.housenumber}" + (f", {place}" if place else "")

    @property
    def point(self):
        """The address as a GeoJSON Point."""
        return {"type": "Point", "coordinates": [self.lng, self.lat]}

    def fill_keys(self):
        """The normalised keys from street and house number (also before bulk writes)."""
        self.street_key = street_key(self.street)
        self.housenumber_key = housenumber_key(self.housenumber)
        self.search_key = self.street_key + self.housenumber_key
