from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy, and nosniff on media as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class StaffAuditMiddleware:
    """The audit log (django-auditlog) records what staff change, with the staff member as
    actor; what residents and visitors save (sign-ups, registrations, answers) is their own
    business and stays out of it. Outside requests (management commands) it records with no
    actor; commands that only load data switch it off (`auditlog.context.disable_auditlog`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.staff = AuditlogMiddleware(get_response)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return self.staff(request)
        with disable_auditlog():
            return self.get_response(request)
