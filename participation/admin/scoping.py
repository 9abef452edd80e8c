"""Admin scoping by area: managers see and change only their areas (and sub-areas)."""

from neighbourhoods.models import Area
from neighbourhoods.permissions import areas_managed_by, is_manager


class AreaScopedAdminMixin:
    """`area_path` is the lookup from the model to its Area ("area", "meeting__area")."""

    area_path = "area"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.area_path}__in": areas_managed_by(request.user)})

    def _area_of(self, obj):
        for part in self.area_path.split("__"):
            obj = getattr(obj, part, None)
        return obj

    def _may(self, request, obj=None):
        if not request.user.is_active or not request.user.is_staff or not is_manager(request.user):
            return False
        if obj is None:
            return True
        area = self._area_of(obj)
        return area is not None and areas_managed_by(request.user).filter(pk=area.pk).exists()

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
            kwargs["queryset"] = areas_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
