"""The portal's URLs plus the floor pages of tests/bench/bench_floor.py: hello-world (no
template) and an empty page extending base.html under every language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from quartier.urls import handler404, handler500  # noqa: F401
from quartier.urls import urlpatterns as portal_urlpatterns

EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Leer{% endblock %}'
    "{% block content %}<h1>Leer</h1>{% endblock %}"
)


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


def empty(request):
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/hello/", hello),
    *i18n_patterns(path("bench/leer/", empty, name="bench-empty"), prefix_default_language=False),
    *portal_urlpatterns,
]
