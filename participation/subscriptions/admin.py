"""Subscriptions hold e-mail addresses: only coordination sees them, read-only (people manage
their own through "Meine Benachrichtigungen" or the link in every mail)."""

from django.contrib import admin

from participation import permissions

from .models import Notification, Subscription


class CoordinationReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return permissions.can_view_subscriptions(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Subscription)
class SubscriptionAdmin(CoordinationReadOnlyAdmin):
    list_display = ["__str__", "area", "radius_m", "frequency", "confirmed_at", "created_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "area"]
    search_fields = ["email", "user__email", "area__name"]
    exclude = ["token"]


@admin.register(Notification)
class NotificationAdmin(CoordinationReadOnlyAdmin):
    list_display = ["__str__", "subscription", "created_at", "sent_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subscription__user", "subscription__area"]
