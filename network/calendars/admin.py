"""Moderating partners' events and calendar feeds, scoped to the partners of the manager's
areas (as the partners' own admin)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from neighbourhoods.admin_scoping import AreaScopedAdminMixin

from .models import CalendarFeed, EventStatus, PartnerEvent
from .services import calendar_feed_approve, feed_import, partner_event_decide


def _run(modeladmin, request, queryset, service, **extra):
    done = 0
    for obj in queryset:
        try:
            service(by=request.user, **{modeladmin.object_arg: obj}, **extra)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request,
                f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, ngettext("%(n)d erledigt.", "%(n)d erledigt.", done) % {"n": done}
        )


@admin.register(PartnerEvent)
class PartnerEventAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "partner__areas"
    object_arg = "event"
    list_display = ("title", "partner", "starts_at", "status", "feed")
    list_filter = ("status",)
    list_select_related = ("partner", "feed")
    search_fields = ("title", "partner__name")
    readonly_fields = ("partner", "feed", "uid", "status", "created_at", "updated_at")
    fields = ("partner", "title", "text", "place", "starts_at", "ends_at", "status", "feed", "uid")
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # partners post their own

    @admin.action(description=_("Ausgewählte Termine freigeben"))
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=EventStatus.PENDING),
            partner_event_decide,
            approve=True,
        )

    @admin.action(description=_("Ausgewählte Termine ablehnen"))
    def reject(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=EventStatus.PENDING),
            partner_event_decide,
            approve=False,
        )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "partner__areas"
    object_arg = "feed"
    list_display = ("partner", "url", "approved_at", "last_import_at", "last_error")
    list_select_related = ("partner",)
    readonly_fields = ("partner", "approved_at", "last_import_at", "last_error", "last_error_at")
    fields = ("partner", "url", "is_active", *readonly_fields[1:])
    actions = ["approve", "import_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Ausgewählte Kalender freigeben"))
    def approve(self, request, queryset):
        _run(self, request, queryset.filter(approved_at__isnull=True), calendar_feed_approve)

    @admin.action(description=_("Ausgewählte Kalender jetzt einlesen"))
    def import_now(self, request, queryset):
        for feed in queryset.filter(approved_at__isnull=False):
            result = feed_import(feed=feed)
            if result is None:
                feed.refresh_from_db()
                self.message_user(request, f"{feed.partner}: {feed.last_error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(partner)s: %(new)d neu, %(changed)d geändert, %(cancelled)d abgesagt.")
                    % {
                        "partner": feed.partner,
                        "new": result[0],
                        "changed": result[1],
                        "cancelled": result[2],
                    },
                )
