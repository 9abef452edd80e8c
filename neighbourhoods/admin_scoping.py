"""The admin of anything that belongs to areas: quarter managers see and act on their own areas
(with sub-areas and successors) only; coordination sees everything. Used by participation and
network, which both depend on neighbourhoods."""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from .models import Area
from .permissions import areas_managed_by, is_area_staff, is_coordination


class AreaScopedAdminMixin:
    """Scopes a ModelAdmin to the areas the user manages; Django's model permissions are unused.

    - Who: `is_area_staff(user)` — active staff who are coordination or quarter managers.
    - Which rows: `scope_queryset()`, in SQL, so a tampered id finds nothing. By default the
      rows whose `area_field` (a lookup to Area: "area", "meeting__area", "areas") is one of the
      user's areas; coordination gets every row. Override it where more decides (say, only
      confirmed ideas).
    - Which objects: view, change and delete an object only if it is one of those rows.
    - Adding: any area staff; the area choices keep new objects inside their areas.
    - Choices: every foreign key and many-to-many field to Area offers the user's areas only.

    A ModelAdmin narrows this further by overriding a `has_…_permission` to return False.
    """

    area_field = "area"

    def managed_areas(self, request):
        """`areas_managed_by(request.user)`, worked out once per request."""
        if not hasattr(request, "_quartier_managed_areas"):
            request._quartier_managed_areas = areas_managed_by(request.user).without_geometry()
        return request._quartier_managed_areas

    def scope_queryset(self, request, queryset):
        if is_coordination(request.user):
            return queryset
        in_areas = {f"{self.area_field}__in": self.managed_areas(request)}
        if _many_valued(queryset.model, self.area_field):  # no duplicate rows, no .distinct()
            matching = queryset.model._base_manager.filter(**in_areas).values("pk")
            return queryset.filter(pk__in=matching)
        return queryset.filter(**in_areas)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def in_scope(self, request, obj):
        """Whether `obj` is one of the rows the user sees (asked once per object and request)."""
        checked = request.__dict__.setdefault("_quartier_in_scope", {})
        key = (obj._meta.label, obj.pk)
        if key not in checked:
            rows = self.scope_queryset(request, self.model._default_manager.filter(pk=obj.pk))
            checked[key] = rows.exists()
        return checked[key]

    def _may(self, request, obj=None):
        return is_area_staff(request.user) and (obj is None or self.in_scope(request, obj))

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Area:
            kwargs["queryset"] = self.managed_areas(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Area:
            kwargs["queryset"] = self.managed_areas(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _many_valued(model, lookup):
    """Whether following `lookup` from `model` can reach more than one row."""
    for name in lookup.split(LOOKUP_SEP):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


class ManagedAreaFilter(admin.SimpleListFilter):
    """ "Gebiet" in a changelist's filters: the user's own areas (all for coordination), rows in
    the chosen area only. Use `area_filter("idea__area")` for another path to Area."""

    title = _("Gebiet")
    parameter_name = "gebiet"
    area_lookup = "area"

    def lookups(self, request, model_admin):
        return [
            (str(area.pk), area.name) for area in areas_managed_by(request.user).order_by("name")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            area_id = int(value)
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(**{self.area_lookup: area_id})


def area_filter(area_lookup):
    """A ManagedAreaFilter for rows whose area is found through `area_lookup`."""
    return type("ManagedAreaFilter", (ManagedAreaFilter,), {"area_lookup": area_lookup})
