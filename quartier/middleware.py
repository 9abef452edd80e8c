"""Security headers: the ones Django has no setting for, and the same set for responses that
never pass the security middlewares (static files, the health check, refused bodies); the
staff audit log's request context; a NUL byte in an address refused with 400."""

from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpResponseBadRequest


def page_headers():
    """Content-Security-Policy (without a nonce), X-Frame-Options, Permissions-Policy and
    nosniff, as the middlewares below WhiteNoise put them on every page."""
    from csp.utils import build_policy

    return {
        "Content-Security-Policy": build_policy(),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
        "X-Content-Type-Options": "nosniff",
    }


def static_file_headers(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: static files get the pages' headers (HSTS,
    Referrer-Policy and nosniff come from SecurityMiddleware above WhiteNoise)."""
    for name, value in page_headers().items():
        headers[name] = value


def add_security_headers(request, response):
    """For a response made above SecurityMiddleware: all the headers a page gets."""
    from django.middleware.security import SecurityMiddleware

    SecurityMiddleware(lambda request: response).process_response(request, response)
    for name, value in page_headers().items():
        response.headers.setdefault(name, value)
    return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy, and nosniff on media as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class RefuseNulBytesMiddleware:
    """Answer 400 to a NUL byte in the path or the query string.

    No address or filter of the portal has one, and PostgreSQL refuses text containing it: a
    `?gebiet=%00` or `/treffen/abmelden/%00/` that reaches a query would end in a 500. Form
    fields refuse NUL themselves with a message (Django's CharField validator). Inside the
    security-header middlewares, so the answer still gets every security header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Ungültige Anfrage: Nullzeichen in der Adresse.\n"
                "Bad request: a NUL character in the address.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


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
