"""The page chrome (base.html: navigation, language switcher, hreflang alternates, footer) is
kept rendered per process and language; what it shows must stay exactly what a fresh rendering
shows, for every page, language and visitor, and the floor costs no query for a visitor."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import translate_url

from quartier.templatetags import portal

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.bench.floor_urls")]

PREFIXES = [""] + [f"/{code}" for code, _name in settings.LANGUAGES if code != "de"]


def normalised(response):
    """The page without what differs on every response (CSRF token masks, nonces, form keys)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    html = re.sub(r'name="form_key" value="[^"]+"', "form_key", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def fresh(client, path):
    """The page rendered with an empty chrome store."""
    portal._chrome.clear()
    portal._localised_names.clear()
    return normalised(client.get(path))


@pytest.fixture
def resident(django_user_model):
    return django_user_model.objects.create_user("anwohnerin", "a@example.org", "x")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("team", "t@example.org", "x", is_staff=True)


def test_an_empty_page_costs_a_visitor_no_query(client, django_assert_num_queries):
    client.get("/bench/leer/")
    with django_assert_num_queries(0):
        response = client.get("/bench/leer/")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies  # stays storable by the page cache


def test_an_empty_page_costs_a_resident_the_session_and_the_user(
    client, resident, django_assert_num_queries
):
    client.force_login(resident)
    client.get("/bench/leer/")
    with django_assert_num_queries(2):
        response = client.get("/bench/leer/")
    assert "Abmelden" in response.content.decode()


@pytest.mark.parametrize("who", ["visitor", "resident", "staff"])
def test_the_chrome_from_the_store_is_the_chrome_rendered_afresh(who, request):
    client = Client()
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    paths = [
        "/bench/leer/",
        "/en/bench/leer/?seite=2&q=a%26b&x='",
        "/ar/bench/leer/",
        "/",
        "/tr/quartiere/",
        "/ideen/",
        "/uk/treffen/",
        "/en/netzwerk/",
        "/konto/anmelden/?next=/ideen/",
        "/gibt-es-nicht/",
        "/ru/gibt-es-nicht/?a=1",
    ]
    expected = {path: fresh(client, path) for path in paths}
    # the store filled by every other page first, in another order
    for path in reversed(paths):
        client.get(path)
    for path in paths:
        assert normalised(client.get(path)) == expected[path], path


def test_addresses_a_visitor_makes_up_do_not_grow_the_store(client):
    client.get("/ideen/")
    size = len(portal._chrome)
    for number in range(20):
        client.get(f"/ideen/?seite={number}&erfunden=<{number}>")
    assert len(portal._chrome) == size
    body = client.get("/en/ideen/?erfunden=%22%3E&a='").content.decode()
    assert 'href="/ar/ideen/?erfunden=%22%3E&amp;a=&#x27;"' in body


def test_the_navigation_marks_the_page_it_is_on(client):
    client.get("/ideen/")
    body = client.get("/treffen/").content.decode()
    assert re.findall(r'href="(/[^"]*)" aria-current="page"', body) == ["/treffen/", "/treffen/"]
    body = client.get("/en/ideen/").content.decode()
    assert re.findall(r'href="(/[^"]*)" aria-current="page"', body) == ["/en/ideen/"] * 2


def test_signed_in_and_staff_navigation_are_their_own(client, resident, staff):
    assert "Anmelden" in client.get("/bench/leer/").content.decode()
    client.force_login(resident)
    body = client.get("/bench/leer/").content.decode()
    assert "Abmelden" in body and "Anmelden<" not in body and "Verwaltung" not in body
    client.force_login(staff)
    body = client.get("/bench/leer/").content.decode()
    assert "Verwaltung" in body
    client.logout()
    assert "Abmelden" not in client.get("/bench/leer/").content.decode()


def test_the_logout_form_carries_a_valid_fresh_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    client.get("/bench/leer/")
    tokens = []
    for _ in range(2):
        body = client.get("/bench/leer/").content.decode()
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert len(found) == 2
        tokens += found
    assert len(set(tokens)) > 1  # masked anew, never one stored token
    response = client.post("/konto/abmelden/", {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert "Abmelden" not in client.get("/bench/leer/").content.decode()


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    "path", ["/", "/ideen/", "/treffen/?seite=2&thema=a%20b", "/bench/leer/", "/gibt-es-nicht/"]
)
def test_language_links_are_translate_url_under_every_prefix(client, prefix, path):
    """The swapped prefix gives exactly what translate_url() gives, for every language."""
    full = f"{prefix}{path}"
    body = client.get(full).content.decode()
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]*)">', body)
    )
    switcher = {
        code: url for url, code in re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)"', body)
    }
    assert list(alternates) == [code for code, _name in settings.LANGUAGES]
    for code, _name in settings.LANGUAGES:
        expected = translate_url(full, code).replace("&", "&amp;")
        assert alternates[code] == expected, code
        assert switcher[code] == expected, code


def test_language_links_of_an_address_outside_the_languages_stay_that_address(client):
    body = client.get("/bench/hello/")  # no template: a plain text page has no links at all
    assert body.status_code == 200
    response = client.get("/konto/anmelden/?next=%2F%2Fevil.example")
    for link in re.findall(r'<a href="([^"]*)" hreflang=', response.content.decode()):
        assert link.startswith("/") and not link.startswith("//"), link
