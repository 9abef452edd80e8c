"""Offices (coordination keeps the list; managers see it) and the requests forwarded to them
(scoped to the manager's areas through the idea). A request's page shows the office's answer
and the decision form: publish it as the idea's answer, or keep it internal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from neighbourhoods.permissions import is_area_staff, is_coordination
from quartier.forms import add_service_errors

from .forms import DecideForm
from .models import Decision, Forwarding, Office
from .services import forwarding_decide, forwarding_withdraw


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_active", "open_requests")
    list_filter = ("is_active",)
    search_fields = ("name", "email")
    filter_horizontal = ("users",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_count=Count(
                    "forwardings",
                    filter=Q(
                        forwardings__answered_at__isnull=True,
                        forwardings__withdrawn_at__isnull=True,
                    ),
                )
            )
        )

    @admin.display(description=_("offene Anfragen"), ordering="open_count")
    def open_requests(self, obj):
        return obj.open_count

    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_area_staff(request.user)

    def has_add_permission(self, request):
        return is_coordination(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordination(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # requests keep their office; deactivate it instead


class StateFilter(admin.SimpleListFilter):
    title = _("Stand")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [
            ("offen", _("wartet auf Antwort")),
            ("ueberfaellig", _("überfällig")),
            ("entscheiden", _("Antwort da, zu entscheiden")),
            ("erledigt", _("entschieden")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "offen":
                return queryset.unanswered()
            case "ueberfaellig":
                return queryset.overdue()
            case "entscheiden":
                return queryset.to_decide()
            case "erledigt":
                return queryset.exclude(decision=Decision.OPEN)
        return queryset


@admin.register(Forwarding)
class ForwardingAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "idea__area"
    list_display = ("idea", "office", "created_at", "deadline", "answered_at", "decision")
    list_filter = (StateFilter, "office", area_filter("idea__area"))
    list_select_related = ("idea", "office")
    search_fields = ("idea__title", "question", "answer")
    change_form_template = "admin/participation/forwarding/change_form.html"
    fields = (
        "idea",
        "office",
        "question",
        "deadline",
        "created_by",
        "created_at",
        "reminders",
        "reminded_at",
        "answer",
        "answered_at",
        "answered_name",
        "answered_by",
        "decision",
        "decided_at",
        "public_answer",
        "withdrawn_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # forwarded from the idea's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/entscheiden/",
                self.admin_site.admin_view(self.decide_view),
                name="participation_forwarding_decide",
            ),
            path(
                "<int:pk>/zurueckziehen/",
                self.admin_site.admin_view(self.withdraw_view),
                name="participation_forwarding_withdraw",
            ),
            *super().get_urls(),
        ]

    def _get_scoped(self, request, pk):
        if not is_area_staff(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request).select_related("idea", "office"), pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        forwarding = self.get_object(request, object_id)
        if forwarding is not None and forwarding.is_answered:
            if forwarding.decision == Decision.OPEN:
                extra_context["decide_form"] = DecideForm(forwarding=forwarding)
                extra_context["decide_url"] = reverse(
                    "admin:participation_forwarding_decide", args=[forwarding.pk]
                )
        elif forwarding is not None and forwarding.withdrawn_at is None:
            extra_context["withdraw_url"] = reverse(
                "admin:participation_forwarding_withdraw", args=[forwarding.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        forwarding = self._get_scoped(request, pk)
        form = DecideForm(request.POST if request.method == "POST" else None, forwarding=forwarding)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                forwarding_decide(
                    forwarding=forwarding,
                    by=request.user,
                    publish=data["decision"] == DecideForm.PUBLISH,
                    text=data["text"],
                    status_to=data["status_to"] or None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                self.message_user(request, str(error) or _("Nicht erlaubt."), messages.ERROR)
                return redirect("admin:participation_forwarding_change", forwarding.pk)
            else:
                self.message_user(request, _("Entschieden."), messages.SUCCESS)
                return redirect("admin:participation_forwarding_change", forwarding.pk)
        return TemplateResponse(
            request,
            "admin/participation/forwarding/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Antwort des Amts übernehmen"),
                "form": form,
                "forwarding": forwarding,
                "opts": self.model._meta,
            },
            status=400 if request.method == "POST" else 200,
        )

    def withdraw_view(self, request, pk):
        forwarding = self._get_scoped(request, pk)
        if request.method == "POST":
            try:
                forwarding_withdraw(forwarding=forwarding, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
                )
            else:
                self.message_user(request, _("Anfrage zurückgezogen."), messages.SUCCESS)
        return redirect("admin:participation_forwarding_change", forwarding.pk)
