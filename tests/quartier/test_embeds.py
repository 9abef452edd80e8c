"""Widgets for other websites (/einbetten/): framable by EMBED_ORIGINS only, every other page
stays unframable; EMBED_ORIGINS checked at start; the snippet generator."""

import html as htmllib
import os
import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from neighbourhoods.models import Area
from quartier.origins import embed_origins
from tests.factories import make_manager, make_user
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

CITY = "https://www.musterstadt.de"
OTHER = "http://localhost:8112"
WIDGETS = ["beitraege", "treffen", "karte", "idee"]


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    part = next(p.strip() for p in policy.split(";") if p.strip().startswith("frame-ancestors"))
    return part.split()[1:]


# --- EMBED_ORIGINS ----------------------------------------------------------------------------


def test_origins_are_kept_as_written_when_they_are_origins():
    assert embed_origins([]) == []
    assert embed_origins([CITY, "http://localhost:8080", "https://[::1]:8443"]) == [
        CITY,
        "http://localhost:8080",
        "https://[::1]:8443",
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "www.musterstadt.de",
        "https://www.musterstadt.de/",
        "https://www.musterstadt.de/seite",
        "https://*.musterstadt.de",
        "ftp://musterstadt.de",
        "https://user@musterstadt.de",
        "https://musterstadt.de:port",
        "https://musterstadt.de?x=1",
        "'self'",
        "https://a.de 'unsafe-inline'",
        "*",
    ],
)
def test_anything_else_is_refused_with_a_clear_message(bad):
    with pytest.raises(ImproperlyConfigured, match="EMBED_ORIGINS: .* is not an origin"):
        embed_origins([bad])


def test_the_portal_does_not_start_with_a_bad_value():
    env = {**os.environ, "EMBED_ORIGINS": f"{CITY},https://example.org/path"}
    result = subprocess.run(
        [sys.executable, "-c", "import quartier.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "EMBED_ORIGINS: 'https://example.org/path' is not an origin" in result.stderr


# --- headers --------------------------------------------------------------------------------


@pytest.fixture
def area(db):
    north, _south = two_areas()
    return north


def widget_url(area, widget, language="de"):
    names = {
        "beitraege": "embed-newest",
        "treffen": "embed-meetings",
        "karte": "embed-map",
        "idee": "embed-button",
    }
    with translation.override(language):
        return reverse(f"participation:{names[widget]}", args=[area.slug])


@pytest.mark.parametrize("widget", WIDGETS)
def test_widgets_framable_by_the_listed_origins_only(client, settings, area, widget):
    settings.EMBED_ORIGINS = [CITY, OTHER]
    response = client.get(widget_url(area, widget))
    assert response.status_code == 200
    assert frame_ancestors(response) == [CITY, OTHER]
    assert "X-Frame-Options" not in response
    for page in ("/", area.get_absolute_url(), "/ideen/", "/ideen/neu/", "/verwaltung/login/"):
        other = client.get(page)
        assert frame_ancestors(other) == ["'none'"], page
        assert other["X-Frame-Options"] == "DENY", page


@pytest.mark.parametrize("widget", WIDGETS)
def test_without_origins_widgets_are_framable_by_nobody(client, settings, area, widget):
    settings.EMBED_ORIGINS = []
    response = client.get(widget_url(area, widget))
    assert frame_ancestors(response) == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_page_cache_keeps_each_page_with_its_own_headers(client, settings, area):
    settings.PAGE_CACHE_SECONDS = 60
    settings.EMBED_ORIGINS = [CITY]
    url = widget_url(area, "beitraege")
    first, second = client.get(url), client.get(url)
    assert "Age" in second  # served from the store
    for response in (first, second):
        assert frame_ancestors(response) == [CITY] and "X-Frame-Options" not in response
    for page in (area.get_absolute_url(), area.get_absolute_url(), widget_url(area, "idee")):
        response = client.get(page)
        expected = [CITY] if "/einbetten/" in page else ["'none'"]
        assert frame_ancestors(response) == expected
        assert ("X-Frame-Options" in response) == ("/einbetten/" not in page)


# --- content ----------------------------------------------------------------------------------


def test_widgets_show_the_areas_content_and_open_the_portal_in_a_new_window(client, area):
    make_idea(area, title="Bänke am Markt")
    make_idea(area, title="Noch geheim", status="pending")
    make_meeting(area, title="Stadtteilrunde")
    newest = client.get(widget_url(area, "beitraege")).content.decode()
    assert "Bänke am Markt" in newest and "Noch geheim" not in newest
    assert "site-header" not in newest and "css/embed.css" in newest
    meetings = client.get(widget_url(area, "treffen")).content.decode()
    assert "Stadtteilrunde" in meetings
    picture = client.get(widget_url(area, "karte")).content.decode()
    assert "<svg" in picture and "<path d=" in picture
    assert re.search(r'<circle cx="\d+\.\d" cy="\d+\.\d"', picture)  # no decimal comma
    button = client.get(widget_url(area, "idee")).content.decode()
    assert f"/ideen/neu/?gebiet={area.slug}" in button
    for page in (newest, meetings, picture, button):
        assert "<script" not in page
        links = page.count("<a ")
        assert links and page.count('target="_blank" rel="noopener"') == links


@pytest.mark.parametrize("widget", WIDGETS)
def test_widget_language_from_the_prefix(client, area, widget):
    html = client.get(widget_url(area, widget, "en")).content.decode()
    assert widget_url(area, widget, "en").startswith("/en/einbetten/")
    assert '<html lang="en"' in html


def test_unknown_area_is_404(client, db):
    assert client.get("/einbetten/nirgendwo/beitraege/").status_code == 404


@pytest.mark.parametrize("widget", ["beitraege", "treffen", "karte"])
def test_widget_queries_do_not_grow_with_the_data(client, area, widget, django_assert_num_queries):
    make_idea(area)
    make_meeting(area)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(widget_url(area, widget))  # the area tree is read once per process
    with CaptureQueriesContext(connection) as few:
        client.get(widget_url(area, widget))
    for number in range(6):
        make_idea(area, title=f"Idee {number}")
        make_meeting(area)
    with django_assert_num_queries(len(few)):
        client.get(widget_url(area, widget))


# --- snippet generator ------------------------------------------------------------------------


def test_snippet_generator_writes_the_iframe(client, settings, area):
    settings.EMBED_ORIGINS = [CITY]
    client.force_login(make_manager(area))
    url = reverse("admin:embed-snippet")
    assert url == "/verwaltung/einbetten/"
    page = client.get(url + f"?area={area.pk}")
    assert page.status_code == 200 and CITY in page.content.decode()
    response = client.get(
        url, {"area": area.pk, "widget": "treffen", "language": "en", "size": "klein"}
    )
    html = htmllib.unescape(response.content.decode())
    src = f"http://testserver/en/einbetten/{area.slug}/treffen/"
    assert (
        f'<iframe src="{src}" title="Upcoming meetings – {area.name}" width="300" '
        'height="250" loading="lazy" style="border:0"></iframe>'
    ) in html
    # the generator itself is a back-office page: never framable
    assert frame_ancestors(response) == ["'none'"]


def test_snippet_generator_refuses_bad_choices_and_other_areas(client, area):
    south = Area.objects.get(slug="sudstadt")
    client.force_login(make_manager(area))
    url = reverse("admin:embed-snippet")
    for query in (
        {"area": south.pk, "widget": "treffen", "language": "de", "size": "klein"},
        {"area": area.pk, "widget": "<script>", "language": "de", "size": "klein"},
        {"area": area.pk, "widget": "treffen", "language": "xx", "size": "riesig"},
        {"area": "abc", "widget": "treffen"},
    ):
        response = client.get(url, query)
        assert response.status_code == 200
        assert "<iframe" not in response.content.decode()
        assert "errorlist" in response.content.decode()


def test_snippet_generator_is_for_staff_only(client, area):
    client.force_login(make_user())
    response = client.get(reverse("admin:embed-snippet"))
    assert response.status_code == 302 and "login" in response["Location"]
