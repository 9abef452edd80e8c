from django.conf import settings
from django.http import HttpResponseBadRequest


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
    fields refuse NUL themselves with a message (Django's CharField validator). Innermost in
    MIDDLEWARE, so the answer still gets every security header.
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
