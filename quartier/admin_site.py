"""The admin site (`/verwaltung/`): Django's, with the portal's throttled log-in."""

from django.contrib import admin


class QuartierAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        from quartier.accounts.forms import AdminLoginForm

        return AdminLoginForm
