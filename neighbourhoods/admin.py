"""Admin for the area tree and the assignments.

Coordination edits every area and the assignments. A quarter manager sees their own areas
(read only) and may split and retire them through the split and retire screens, which show a
dry run (`neighbourhoods.previews`) before anything is written. Saving goes through
`services.area_save`, splitting through `services.area_split`, retiring through
`services.area_retire`; all check boundaries with the one validator in `geometry`.
"""

import hashlib
import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AreaAdminForm, RetireForm, SplitForm, fill_parts, widget_map_config
from .geometry import area_m2, boundary_shape
from .maps import draw_texts
from .models import Area, AreaAssignment
from .permissions import areas_managed_by, is_area_staff, is_coordination, manages_area
from .previews import area_retire_preview, area_split_preview
from .registry import area_admin_links, split_proposal
from .services import area_retire, area_save, area_split


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


def fingerprint(*parts):
    """A short hash of what a preview showed; saving needs the same, so nothing changed
    between the preview and the confirmation goes unseen."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


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
        (_("Leichte Sprache"), {"fields": ["easy_language", "easy_language_updated_on"]}),
        (_("Gültigkeit und Geschichte"), {"fields": ["valid_from", "valid_until", "predecessors"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Areas keep their history: retire them (valid_until) instead, unless nothing uses them.
        return is_coordination(request.user) and (obj is None or not obj.children.exists())

    # Quarter managers: their own areas, read only, with the split and retire screens.
    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        if is_coordination(request.user):
            return True
        if not is_area_staff(request.user):
            return False
        return obj is None or manages_area(request.user, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_coordination(request.user):
            return queryset
        return queryset.filter(pk__in=areas_managed_by(request.user).values("pk"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the boundary is seen on the map of the split screen, not as raw GeoJSON.
        return [entry for entry in fieldsets if "boundary" not in entry[1]["fields"]]

    def get_inlines(self, request, obj):
        return self.inlines if is_coordination(request.user) else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_coordination(request.user):
            actions.pop("split_selected", None)
        return actions

    def may_restructure(self, request, area):
        """Split and retire: coordination for every area, a manager for their own."""
        return area is not None and manages_area(request.user, area) and is_area_staff(request.user)

    def save_model(self, request, obj, form, change):
        area_save(area=obj, by=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/aufteilen/",
                self.admin_site.admin_view(self.split_view),
                name="neighbourhoods_area_split",
            ),
            path(
                "<int:pk>/beenden/",
                self.admin_site.admin_view(self.retire_view),
                name="neighbourhoods_area_retire",
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, *args, **kwargs):
        original = context.get("original")
        context["split_allowed"] = self.may_restructure(request, original)
        context["area_links"] = area_admin_links(original) if original else []
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.action(description=_("Ausgewähltes Gebiet aufteilen (GeoJSON hochladen)"))
    def split_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Bitte genau ein Gebiet zum Aufteilen auswählen."), messages.WARNING
            )
            return None
        return redirect("admin:neighbourhoods_area_split", queryset.get().pk)

    def restructured_area(self, request, pk):
        area = get_object_or_404(Area.objects.current(), pk=pk)
        if not self.may_restructure(request, area):
            raise PermissionDenied
        return area

    def split_view(self, request, pk):
        """Draw (or load) the parts, see the dry run, then save: the "Aufteilen" button appears
        only with a preview without errors, and saves only what that preview showed."""
        area = self.restructured_area(request, pk)
        posted = request.method == "POST"
        proposal = None if posted else split_proposal(request.GET.get("vorschlag", "")[:50])
        data = request.POST if posted else self._proposed_parts(request, area, proposal)
        form = SplitForm(data, request.FILES if posted else None)
        preview = None
        if data is not None and form.is_valid():
            children = form.cleaned_data["children"]
            valid_from = form.cleaned_data["valid_from"]
            preview = area_split_preview(
                area=area, children=children, valid_from=valid_from, by=request.user
            )
            shown = fingerprint(children, valid_from)
            if request.POST.get("action") == "save" and preview.ok:
                if request.POST.get("fingerprint") != shown:
                    form.add_error(
                        None,
                        _(
                            "Die Teile wurden nach der Vorschau geändert. Bitte die neue "
                            "Vorschau prüfen und dann aufteilen."
                        ),
                    )
                else:
                    try:
                        new_areas = area_split(
                            area=area, children=children, valid_from=valid_from, by=request.user
                        )
                    except ValidationError as error:
                        form.add_error(None, error)
                    else:
                        return self._split_done(request, area, new_areas)
            form.fingerprint = shown
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "area": area,
            "form": form,
            "preview": preview,
            "area_m2": area_m2(boundary_shape(area.boundary)),
            "area_geojson": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"role": "area", "name": area.name},
                        "geometry": area.boundary,
                    }
                ]
                if area.boundary
                else [],
            },
            "preview_geojson": preview.geojson() if preview else None,
            "proposal": proposal if data is not None else None,
            "draw_texts": draw_texts(),
            "map_config": widget_map_config(),
            "title": _("„%(area)s“ aufteilen") % {"area": area.name},
        }
        return TemplateResponse(request, "admin/neighbourhoods/area/split.html", context)

    def _proposed_parts(self, request, area, proposal):
        """The split form's data from a registered proposal (`?vorschlag=<key>`), or None."""
        if proposal is None:
            return None
        children = proposal.parts(area)
        if not children:
            self.message_user(
                request,
                _("Für „%(area)s“ gibt es noch keinen Vorschlag (%(label)s).")
                % {"area": area.name, "label": proposal.label},
                messages.WARNING,
            )
            return None
        data = {"valid_from": timezone.localdate().isoformat(), "name_property": "name"}
        return fill_parts(data, children)

    def _split_done(self, request, area, new_areas):
        names = ", ".join(new.name for new in new_areas)
        self.log_change(request, area, _("Aufgeteilt in: %(names)s") % {"names": names})
        for new in new_areas:
            self.log_addition(
                request, new, _("Aus der Aufteilung von „%(area)s“") % {"area": area.name}
            )
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

    def retire_view(self, request, pk):
        """Choose the successors, see per kind and successor what moves, then confirm."""
        area = self.restructured_area(request, pk)
        choices = areas_managed_by(request.user)
        posted = request.method == "POST"
        form = RetireForm(request.POST if posted else None, area=area, choices=choices)
        preview = None
        if posted and form.is_valid():
            picked = [successor.pk for successor in form.cleaned_data["successors"]]
            successors = sorted(Area.objects.filter(pk__in=picked), key=lambda a: a.name)
            valid_until = form.cleaned_data["valid_until"]
            preview = area_retire_preview(
                area=area, successors=successors, valid_until=valid_until, by=request.user
            )
            shown = fingerprint(picked, valid_until)
            if request.POST.get("action") == "confirm" and preview.ok:
                if request.POST.get("fingerprint") != shown:
                    form.add_error(
                        None,
                        _("Die Auswahl wurde geändert. Bitte die neue Übersicht prüfen."),
                    )
                else:
                    try:
                        area_retire(
                            area=area,
                            successors=successors,
                            valid_until=valid_until,
                            by=request.user,
                        )
                    except ValidationError as error:
                        form.add_error(None, error)
                    else:
                        return self._retire_done(request, area, successors)
            form.fingerprint = shown
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "area": area,
            "form": form,
            "preview": preview,
            "title": _("„%(area)s“ beenden") % {"area": area.name},
        }
        return TemplateResponse(request, "admin/neighbourhoods/area/retire.html", context)

    def _retire_done(self, request, area, successors):
        names = ", ".join(successor.name for successor in successors) or _("keine")
        self.log_change(request, area, _("Beendet; Nachfolger: %(names)s") % {"names": names})
        self.message_user(
            request,
            _("„%(area)s“ ist beendet.") % {"area": area.name},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:neighbourhoods_area_change", args=[area.pk]))


@admin.register(AreaAssignment)
class AreaAssignmentAdmin(CoordinationOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "area", "role"]
    list_filter = ["role", "area"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "area__name"]
    autocomplete_fields = ["area"]
    list_select_related = ["user", "area"]
