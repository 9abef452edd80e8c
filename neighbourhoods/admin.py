"""Admin for the area tree and the assignments: coordination only.

Saving goes through `services.area_save`, splitting through `services.area_split`; both check
boundaries with the one validator in `neighbourhoods.geometry`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AreaAdminForm, SplitForm
from .models import Area, AreaAssignment
from .permissions import is_coordination
from .services import area_save, area_split


class CoordinationOnlyMixin:
    def has_module_permission(self, request):
        return is_coordination(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordination(request.user)

    def has_add_permission(self, request):
        return is_coordination(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordination(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordination(request.user)


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_coordination(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Area)
class AreaAdmin(CoordinationOnlyMixin, admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["kind", "valid_until"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["predecessors"]
    actions = ["split_selected"]
    inlines = [AreaAssignmentInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "colour", "description"]}),
        (_("Grenze"), {"fields": ["boundary"]}),
        (
            _("Profil zu den Leitfragen"),
            {
                "fields": [
                    "profile_topics",
                    "profile_identification",
                    "profile_lifeworlds",
                    "profile_quality",
                    "profile_cooperation",
                ]
            },
        ),
        (_("Gültigkeit und Geschichte"), {"fields": ["valid_from", "valid_until", "predecessors"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Areas keep their history: retire them (valid_until) instead, unless nothing uses them.
        return is_coordination(request.user) and (obj is None or not obj.children.exists())

    def save_model(self, request, obj, form, change):
        area_save(area=obj, by=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/aufteilen/",
                self.admin_site.admin_view(self.split_view),
                name="neighbourhoods_area_split",
            )
        ] + super().get_urls()

    def render_change_form(self, request, context, *args, **kwargs):
        context["split_allowed"] = is_coordination(request.user)
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.action(description=_("Ausgewähltes Gebiet aufteilen (GeoJSON hochladen)"))
    def split_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Bitte genau ein Gebiet zum Aufteilen auswählen."), messages.WARNING
            )
            return None
        return redirect("admin:neighbourhoods_area_split", queryset.get().pk)

    def split_view(self, request, pk):
        if not is_coordination(request.user):
            raise PermissionDenied
        area = get_object_or_404(Area.objects.current(), pk=pk)
        form = SplitForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                new_areas = area_split(
                    area=area,
                    children=form.cleaned_data["children"],
                    valid_from=form.cleaned_data["valid_from"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "„%(area)s“ wurde aufgeteilt: %(count)d neues Gebiet.",
                        "„%(area)s“ wurde aufgeteilt: %(count)d neue Gebiete.",
                        len(new_areas),
                    )
                    % {"area": area.name, "count": len(new_areas)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:neighbourhoods_area_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "area": area,
            "form": form,
            "title": _("„%(area)s“ aufteilen") % {"area": area.name},
        }
        return TemplateResponse(request, "admin/neighbourhoods/area/split.html", context)


@admin.register(AreaAssignment)
class AreaAssignmentAdmin(CoordinationOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "area", "role"]
    list_filter = ["role", "area"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "area__name"]
    autocomplete_fields = ["area"]
    list_select_related = ["user", "area"]
