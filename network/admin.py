"""Admin: managers maintain partners and cooperations of their areas; coordination everything
plus join requests (accept / decline with a reason, through the services)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from neighbourhoods.admin_scoping import AreaScopedAdminMixin
from neighbourhoods.models import Area, area_geometry
from neighbourhoods.permissions import areas_managed_by, is_area_staff, is_coordination

from . import services
from .forms import CooperationAdminForm, DeclineForm, PartnerAdminForm
from .models import (
    ContactPerson,
    Cooperation,
    FieldOfWork,
    JoinRequest,
    Partner,
    PartnerChange,
    TargetGroup,
)
from .permissions import cooperations_managed_by, may_handle_join_requests, partners_managed_by


class KeepOutOfScopeAreasMixin:
    """A manager sees only their own areas as choices; saving must not drop the other areas a
    partner or cooperation already serves."""

    def save_related(self, request, form, formsets, change):
        kept = []
        if change and not is_coordination(request.user):
            managed = areas_managed_by(request.user).values("pk")
            kept = list(form.instance.areas.exclude(pk__in=managed))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.areas.add(*kept)


class ContactPersonInline(admin.StackedInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "role", "email", "phone", "public_consent_at", "user"]
    raw_id_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return is_area_staff(request.user)  # the partner itself is scoped to their areas

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(Partner)
class PartnerAdmin(KeepOutOfScopeAreasMixin, AreaScopedAdminMixin, admin.ModelAdmin):
    form = PartnerAdminForm
    list_display = ["name", "kind", "is_active", "area"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["area"]
    filter_horizontal = ["areas", "fields_of_work", "target_groups"]
    inlines = [ContactPersonInline]
    area_field = "areas"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area").defer(*area_geometry("area"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not is_coordination(request.user) and "areas" in form.base_fields:
            form.base_fields["areas"].required = True
        return form

    def save_model(self, request, obj, form, change):
        services.partner_locate(partner=obj)
        super().save_model(request, obj, form, change)


@admin.register(Cooperation)
class CooperationAdmin(KeepOutOfScopeAreasMixin, AreaScopedAdminMixin, admin.ModelAdmin):
    form = CooperationAdminForm
    list_display = ["title", "kind", "since", "until"]
    list_filter = ["kind"]
    search_fields = ["title", "text"]
    filter_horizontal = ["partners", "areas"]

    def scope_queryset(self, request, queryset):
        """Only cooperations all of whose partners serve the user's areas."""
        if is_coordination(request.user):
            return queryset
        return queryset.filter(pk__in=cooperations_managed_by(request.user).values("pk"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "partners":
            kwargs["queryset"] = partners_managed_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PartnerChange)
class PartnerChangeAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """The log of partner-account edits: read-only, for staff managing the partner."""

    area_field = "partner__areas"
    list_display = ["partner", "changed_by", "changed_at", "changed_fields"]
    list_select_related = ["partner", "changed_by"]
    readonly_fields = ["partner", "changed_by", "changed_at", "changes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CoordinationOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return may_handle_join_requests(request.user)

    def has_view_permission(self, request, obj=None):
        return may_handle_join_requests(request.user)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return may_handle_join_requests(request.user)


@admin.register(FieldOfWork)
class FieldOfWorkAdmin(CoordinationOnlyAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(CoordinationOnlyAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(JoinRequest)
class JoinRequestAdmin(CoordinationOnlyAdmin):
    list_display = ["organisation_name", "kind", "contact_name", "created_at", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["organisation_name", "contact_name", "contact_email"]
    actions = ["accept_selected", "decline_selected"]
    readonly_fields = [
        "organisation_name",
        "kind",
        "description",
        "areas",
        "contact_name",
        "contact_email",
        "website",
        "consent",
        "created_at",
        "status",
        "decline_reason",
        "partner",
        "handled_by",
        "handled_at",
    ]

    def has_add_permission(self, request):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas":
            kwargs["queryset"] = Area.objects.without_geometry()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description=_("Ausgewählte Anfragen annehmen (Partner anlegen, mailen)"))
    def accept_selected(self, request, queryset):
        accepted = 0
        for join_request in queryset.filter(status=JoinRequest.Status.OPEN):
            try:
                services.joinrequest_accept(join_request=join_request, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{join_request}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Anfrage angenommen.", "%(count)d Anfragen angenommen.", accepted
                )
                % {"count": accepted},
                messages.SUCCESS,
            )

    @admin.action(description=_("Ausgewählte Anfragen ablehnen (mit Begründung)"))
    def decline_selected(self, request, queryset):
        queryset = queryset.filter(status=JoinRequest.Status.OPEN)
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for join_request in queryset:
                services.joinrequest_decline(
                    join_request=join_request, by=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(
                request,
                ngettext(
                    "%(count)d Anfrage abgelehnt.", "%(count)d Anfragen abgelehnt.", len(queryset)
                )
                % {"count": len(queryset)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Anfragen ablehnen"),
            "opts": self.model._meta,
            "join_requests": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/network/joinrequest/decline.html", context)


from .calendars import admin as calendars_admin  # noqa: E402, F401
