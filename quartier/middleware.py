"""Security headers: the ones Django has no setting for, and the same set for responses that
never pass the security middlewares (static files, the health check, refused bodies); the
staff audit log's request context; a NUL byte in an address refused with 400."""

from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


# The policy of a response with no nonce and no per-view changes depends on settings only.
_plain_policies = {}
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@receiver(setting_changed)
def _forget_policies(**kwargs):
    _plain_policies.clear()


def _plain_policy(report_only):
    from csp.utils import build_policy

    policy = _plain_policies.get(report_only)
    if policy is None:
        policy = _plain_policies[report_only] = build_policy(report_only=report_only)
    return policy


class PlainPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of a page without a nonce (most pages) built
    once per process instead of for every response; a page that used its nonce or a view that
    changes the policy (the embeds) goes through django-csp as it is."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _plain_policy(report_only)
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
