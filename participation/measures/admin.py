"""Measures in the admin, scoped to the manager's areas: milestones inline, and on a measure's
page the form to post an update (status, progress, text — mailed to followers) and to publish."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from neighbourhoods.models import area_geometry
from participation.funds.models import Fund, FundApplication
from participation.ideas.models import Idea
from participation.meetings.models import Meeting
from quartier.forms import add_service_errors

from .forms import MeasureAdminForm, MeasureUpdateForm
from .models import Measure, MeasureUpdate, Milestone
from .services import measure_post_update, measure_publish


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ["title", "due_on", "done_on"]


class MeasureUpdateInline(admin.TabularInline):
    model = MeasureUpdate
    template = "admin/participation/readonly_tabular.html"
    extra = 0
    can_delete = False
    fields = ["created_at", "status", "progress", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    form = MeasureAdminForm
    list_display = ("title", "area", "status", "progress", "is_published", "updated_at")
    list_filter = ("status", "is_published", area_filter("area"))
    search_fields = ("title", "summary")
    list_select_related = ("area",)
    inlines = [MilestoneInline, MeasureUpdateInline]
    autocomplete_fields = ()
    change_form_template = "admin/participation/measure/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*area_geometry("area"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        areas = self.managed_areas(request)
        if db_field.name == "ideas":
            kwargs["queryset"] = Idea.objects.listed().filter(area__in=areas).only("pk", "title")
        elif db_field.name == "meetings":
            kwargs["queryset"] = Meeting.objects.filter(area__in=areas).only(
                "pk", "title", "starts_at"
            )
        elif db_field.name == "fund_applications":  # granted ones only
            kwargs["queryset"] = FundApplication.objects.filter(
                area__in=areas, status__in=FundApplication.COMMITTED
            ).only("pk", "title")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "fund":
            kwargs["queryset"] = Fund.objects.filter(area__in=self.managed_areas(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:pk>/neuigkeit/",
                self.admin_site.admin_view(self.update_view),
                name="participation_measure_update",
            ),
            path(
                "<int:pk>/veroeffentlichen/",
                self.admin_site.admin_view(self.publish_view),
                name="participation_measure_publish",
            ),
            *super().get_urls(),
        ]

    def _get_scoped(self, request, pk):
        if not self.has_module_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        measure = self.get_object(request, object_id)
        if measure is not None:
            extra_context["update_url"] = reverse(
                "admin:participation_measure_update", args=[measure.pk]
            )
            if not measure.is_published:
                extra_context["publish_url"] = reverse(
                    "admin:participation_measure_publish", args=[measure.pk]
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def update_view(self, request, pk):
        measure = self._get_scoped(request, pk)
        form = MeasureUpdateForm(
            request.POST if request.method == "POST" else None,
            initial={"status": measure.status, "progress": measure.progress},
        )
        if request.method == "POST" and form.is_valid():
            try:
                measure_post_update(measure=measure, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:participation_measure_change", measure.pk)
            else:
                self.message_user(request, _("Neuigkeit gespeichert."), messages.SUCCESS)
                return redirect("admin:participation_measure_change", measure.pk)
        return TemplateResponse(
            request,
            "admin/participation/measure/update.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Neuigkeit zum Vorhaben"),
                "form": form,
                "measure": measure,
                "opts": self.model._meta,
            },
            status=400 if request.method == "POST" else 200,
        )

    def publish_view(self, request, pk):
        measure = self._get_scoped(request, pk)
        if request.method == "POST":
            try:
                measure_publish(measure=measure, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
                )
            else:
                self.message_user(request, _("Das Vorhaben ist jetzt öffentlich."))
        return redirect("admin:participation_measure_change", measure.pk)
