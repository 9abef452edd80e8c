import csv
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from participation import permissions
from participation.ideas.forms import (
    COLLECT_ROWS_DEFAULT,
    COLLECT_ROWS_MAX,
    CollectForm,
    collect_formset,
)
from participation.ideas.services import ideas_collect
from participation.subscriptions.notifications import notify_meeting_created
from quartier.spreadsheets import spreadsheet_safe

from .forms import MeetingAdminForm
from .inbox import in_this_week
from .models import Meeting, Registration
from .services import meeting_cancel, registration_cancel, registration_set_status


def csv_safe(value):
    return spreadsheet_safe("" if value is None else str(value))


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "people", "status", "note", "created_at"]
    readonly_fields = ["name", "email", "people", "status", "note", "created_at"]
    ordering = ["status", "created_at", "pk"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # the meeting itself is already scoped to their areas
        return permissions.can_view_area_data(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # status changes go through the registration admin's services


class WeekFilter(admin.SimpleListFilter):
    title = _("Zeitraum")
    parameter_name = "woche"

    def lookups(self, request, model_admin):
        return [("diese", _("diese Woche (ohne abgesagte)")), ("kommende", _("ab heute"))]

    def queryset(self, request, queryset):
        if self.value() == "diese":
            return in_this_week(queryset)
        if self.value() == "kommende":
            return queryset.filter(ends_at__gte=timezone.now())
        return queryset


@admin.register(Meeting)
class MeetingAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    change_form_template = "admin/participation/meeting/change_form.html"
    list_display = ["title", "area", "kind", "starts_at", "status", "capacity", "participants_csv"]
    list_filter = [WeekFilter, "status", "kind", area_filter("area")]
    search_fields = ["title", "address"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
    actions = ["cancel_meetings"]
    list_select_related = ["area"]
    fieldsets = [
        (None, {"fields": ["title", "text", "area", "kind", "organiser_name", "status"]}),
        (
            _("Ort und Zeit"),
            {"fields": ["address", "location", "starts_at", "ends_at", "capacity"]},
        ),
        (
            _("Barrierefreiheit"),
            {"fields": ["step_free", "hearing_loop", "languages", "accessibility_note"]},
        ),
        (_("Nach dem Treffen"), {"fields": ["minutes"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Cancelling mails everyone, so it goes through the action, not the status field.
        if obj is not None and obj.status == Meeting.Status.CANCELLED:
            return ["status"]
        return []

    def save_model(self, request, obj, form, change):
        if (
            change
            and form.initial.get("status") != Meeting.Status.CANCELLED
            and (obj.status == Meeting.Status.CANCELLED)
        ):
            obj.status = form.initial.get("status")
            super().save_model(request, obj, form, change)
            meeting_cancel(meeting=obj, by=request.user)
            return
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(partial(notify_meeting_created, obj))

    @admin.action(
        description=_("Ausgewählte Treffen absagen (alle Angemeldeten bekommen eine E-Mail)")
    )
    def cancel_meetings(self, request, queryset):
        for meeting in queryset:
            meeting_cancel(meeting=meeting, by=request.user)
        self.message_user(request, _("Die Treffen sind abgesagt."), messages.SUCCESS)

    @admin.display(description=_("Teilnahmeliste"))
    def participants_csv(self, obj):
        url = reverse("admin:participation_meeting_participants", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("CSV"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/teilnahmeliste.csv",
                self.admin_site.admin_view(self.participants_view),
                name="participation_meeting_participants",
            ),
            path(
                "<int:pk>/beitraege/",
                self.admin_site.admin_view(self.collect_view),
                name="participation_meeting_collect",
            ),
            *super().get_urls(),
        ]

    def collect_view(self, request, pk):
        """Contributions written down at the meeting, entered in one go: the channel once, one
        row per contribution; all rows are saved, published and linked to the meeting, or none."""
        if not permissions.can_work_in_admin(request.user):
            raise PermissionDenied
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            rows = int(request.GET.get("zeilen", COLLECT_ROWS_DEFAULT))
        except ValueError:
            rows = COLLECT_ROWS_DEFAULT
        data = request.POST if request.method == "POST" else None
        form, formset = CollectForm(data), collect_formset(data, rows=rows)
        if data is not None and form.is_valid() and formset.is_valid():
            entries = [row.cleaned_data for row in formset if row.has_changed()]
            try:
                ideas = ideas_collect(
                    meeting=meeting,
                    by=request.user,
                    channel=form.cleaned_data["channel"],
                    entries=entries,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d Beitrag aus „%(meeting)s“ ist veröffentlicht.",
                        "%(count)d Beiträge aus „%(meeting)s“ sind veröffentlicht.",
                        len(ideas),
                    )
                    % {"count": len(ideas), "meeting": meeting.title},
                    messages.SUCCESS,
                )
                return redirect("admin:participation_meeting_change", meeting.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "meeting": meeting,
            "form": form,
            "formset": formset,
            "row_choices": [5, 10, 20, COLLECT_ROWS_MAX],
            "title": _("Beiträge aus diesem Treffen erfassen"),
        }
        return TemplateResponse(request, "admin/participation/meeting/collect.html", context)

    def participants_view(self, request, pk):
        """The list for the day: staff only, and only for meetings of their areas."""
        if not permissions.can_view_area_data(request.user):
            raise PermissionDenied
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="teilnahme-{meeting.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Status"),
                _("Name"),
                _("E-Mail-Adresse"),
                _("Personen"),
                _("Hinweis"),
                _("Angemeldet am"),
            ]
        )
        registrations = meeting.registrations.active().order_by("status", "created_at", "pk")
        for registration in registrations:
            writer.writerow(
                [
                    csv_safe(registration.get_status_display()),
                    csv_safe(registration.name),
                    csv_safe(registration.email),
                    registration.people,
                    csv_safe(registration.note),
                    registration.created_at.strftime("%d.%m.%Y %H:%M"),
                ]
            )
        return response


@admin.register(Registration)
class RegistrationAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "meeting__area"
    list_display = ["name", "meeting", "people", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "meeting__title"]
    list_select_related = ["meeting"]
    fields = ["meeting", "name", "email", "people", "note", "status", "user", "created_at"]
    # The number of people only changes by cancelling and signing up again: capacity stays exact.
    readonly_fields = ["meeting", "user", "people", "created_at"]
    actions = ["cancel_registrations", "confirm_registrations"]

    def has_add_permission(self, request):
        return False  # people sign up on the meeting page; staff can enter them there too

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        obj.status = form.initial.get("status", new_status)
        super().save_model(request, obj, form, change)
        if new_status != obj.status:
            try:
                registration_set_status(registration=obj, status=new_status, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Abmelden (Warteliste rückt nach)"))
    def cancel_registrations(self, request, queryset):
        for registration in queryset:
            registration_cancel(registration=registration)
        self.message_user(request, _("Abgemeldet."), messages.SUCCESS)

    @admin.action(description=_("Von der Warteliste bestätigen (wenn Plätze frei sind)"))
    def confirm_registrations(self, request, queryset):
        for registration in queryset.filter(status=Registration.Status.WAITING):
            try:
                registration_set_status(
                    registration=registration,
                    status=Registration.Status.CONFIRMED,
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{registration}: {'; '.join(error.messages)}", messages.ERROR
                )
