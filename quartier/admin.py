from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartier.models import AuthenticatorApp, BarrierReport, LegalPage, User

admin.site.site_header = _("Quartier – Verwaltung")
admin.site.site_title = _("Quartier – Verwaltung")
admin.site.index_title = _("Übersicht")

admin.site.register(User, UserAdmin)


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The fixed set of pages: staff with the change permission edit title and text only."""

    list_display = ["title", "key", "updated_at"]
    fields = ["key", "title", "body", "updated_at"]
    readonly_fields = ["key", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):
        return reverse(f"legal:{obj.key}")


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin):
    """Reported barriers: read them and mark them handled; what people wrote stays as it is."""

    list_display = ["created_at", "page_url", "name", "email", "handled"]
    list_filter = ["handled", "created_at"]
    search_fields = ["page_url", "description", "name", "email"]
    readonly_fields = ["name", "email", "page_url", "description", "language", "created_at"]
    fields = [*readonly_fields, "handled"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    """Staff's authenticator apps (second factor): who has one and when it was last used.
    Deleting one (a lost phone) sends its owner to enrolment at the next log-in; nobody sees
    or changes an app's key here."""

    list_display = ["user", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
