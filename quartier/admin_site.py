"""The admin site (`/verwaltung/`): Django's, with the portal's throttled log-in, and for staff
with STAFF_2FA only after the second factor (quartier.accounts.second_factor)."""

from django.contrib import admin


class QuartierAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        from quartier.accounts.forms import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request):
        from quartier.accounts import second_factor

        return super().has_permission(request) and second_factor.satisfied(request)
