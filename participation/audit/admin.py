"""The admin's "Protokoll": the list page of the moderation log shows every staff action
(the moderation log and django-auditlog's entries together, see selectors)."""

from django.contrib import admin

from participation.ideas.admin import ModerationAdmin
from participation.ideas.models import ModerationLog

from .views import protocol_view


@admin.register(ModerationLog)
class ModerationLogAdmin(ModerationAdmin):
    readonly_fields = ("created_at", "actor", "action", "idea", "comment", "area", "note")
    fields = readonly_fields

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return protocol_view(request, admin_site=self.admin_site, opts=self.model._meta)
