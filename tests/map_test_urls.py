"""URLconf for browser tests of the map include: the portal's URLs plus one page with a map.

Used through `settings.ROOT_URLCONF = "tests.map_test_urls"`; never part of production urls.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from quartier.urls import handler404, handler500  # noqa: F401
from quartier.urls import urlpatterns as portal_urlpatterns

MAP_PAGE = """{% extends "base.html" %}
{% block title %}Karte{% endblock %}
{% block head %}{% include "includes/map_assets.html" %}{% endblock %}
{% block content %}<h1>Karte</h1>
{% include "includes/map.html" with map_id="test-map" label="Testkarte" %}{% endblock %}"""


def map_page(request):
    return HttpResponse(engines["django"].from_string(MAP_PAGE).render({}, request))


urlpatterns = [path("kartentest/", map_page, name="map-test"), *portal_urlpatterns]
