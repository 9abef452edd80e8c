from quartier.middleware import add_security_headers
from quartier.views import healthz


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the HTTPS redirect.

    Load balancers and Docker's HEALTHCHECK call the process directly, by IP and over plain
    HTTP; they must get the database check, not a 400 (unknown host) or a 301 (to HTTPS).
    Comes before the security middlewares, so it adds their headers itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in {"GET", "HEAD"}:
            return add_security_headers(request, healthz(request))
        return self.get_response(request)
