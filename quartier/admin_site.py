"""The admin site (`/verwaltung/`): Django's, with the portal's throttled log-in, and for staff
with STAFF_2FA only after the second factor (quartier.accounts.second_factor). Apps add their
own back-office pages that belong to no model with `register_admin_view`."""

from django.contrib import admin
from django.urls import path

_admin_views = []


def register_admin_view(route, view, *, name):
    """`view(request, admin_site)` at /verwaltung/<route>, named admin:<name>; only for staff
    who may use the admin at all (the view checks its own permission further)."""
    _admin_views.append((route, view, name))


class QuartierAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        from quartier.accounts.forms import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request):
        from quartier.accounts import second_factor

        return super().has_permission(request) and second_factor.satisfied(request)

    def get_urls(self):
        own = [
            path(route, self.admin_view(_bound(view, self)), name=name)
            for route, view, name in _admin_views
        ]
        return own + super().get_urls()


def _bound(view, site):
    def bound(request, *args, **kwargs):
        return view(request, site, *args, **kwargs)

    return bound
