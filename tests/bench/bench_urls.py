"""The portal's URLs plus /bench/hello/: the framework's limit on this machine, measured
through the same middleware stack (sessions, CSRF, CSP, security headers) as every page."""

from django.http import HttpResponse
from django.urls import path

from quartier.urls import handler404, handler500  # noqa: F401
from quartier.urls import urlpatterns as portal_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *portal_urlpatterns]
