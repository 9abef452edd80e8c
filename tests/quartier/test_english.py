"""Every public page under /en/ is English: rendered with data present (the demo: ideas with
answers and comments, meetings full and roomy, held and coming, partners, mood answers, a
retired area, a resident's own contributions), no German UI word appears outside what people
and staff wrote (the portal's content, taken from the database) and parts marked lang="de"
(Leichte Sprache, the legal texts)."""

import html as html_lib
import io
import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client, override_settings

from neighbourhoods.models import Area
from network.models import Partner
from participation.ideas.models import Idea
from participation.meetings.models import Meeting

pytestmark = pytest.mark.django_db

# German words that never occur in English UI text (whole words, case-sensitive). Words that
# are English too (Filter, Name, Start, Partner, Person, Kultur …) are left out on purpose.
GERMAN_WORDS = """
und oder der die das den dem des nicht noch mit für von zum zur auf ist sind wird werden
Sie Ihre Ihr Ihren Ihnen wir Wir uns Uhr Alle alle keine Keine mehr hier jetzt Jetzt
Beitrag Beiträge Beiträgen Idee Ideen Stärke Stärken Schwäche Schwächen Treffen Anmelden
Abmelden anmelden abmelden Anmeldung Kommentar Kommentare Unterstützung Unterstützungen
unterstützen Unterstützen Gebiet Gebiete Gebieten Quartiere Stimmung Stimmungsbarometer
Netzwerk Karte Antwort Antworten Zurück Weiter Seite Suche Thema Themen Plätze Platz frei
ausgebucht Warteliste Protokoll veröffentlicht Veröffentlicht Geplant geplant Umgesetzt
umgesetzt geprüft Mitmachen mitmachen Datenschutz Impressum Barrierefreiheit Startseite
Menü Konto Benachrichtigungen Folgen folgen Vierteljahr Quartal Durchschnitt Gespräch
Begegnung Beteiligung Sozialräume Sozialraum Januar Februar März Juni Juli Oktober Dezember
Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Anzeigen Ort Wo Wann Sprachen
Hinweis Personen bis seit zwischen über Über Bitte bitte Danke danke Verbindlich Quartiersteam
eingebracht Eingereicht Stand Art Sortierung Neueste Meiste Jeder Wochen Monat Monate
Registrieren Passwort vergessen Einloggen Benutzername Mein Meine Ergebnis Quartieren
zeigen Zeigen Gebiets Sprache Hauptnavigation Inhalt springen Vergangene Kommende
"""
GERMAN = set(GERMAN_WORDS.split())
WORD = re.compile(r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß-]*")
ATTRIBUTES = re.compile(
    r'\s(?:aria-label|title|alt|placeholder|data-cluster-[a-z]+|content)="([^"]*)"'
)


def _strings_from_the_database():
    """Every text people or staff entered (and names from the data migrations): content."""
    values = set()
    for app in ("quartier", "neighbourhoods", "participation", "network"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField) and not field.choices
            ]
            if fields:
                for row in model.objects.values_list(*fields):
                    values.update(str(value) for value in row if value)
    values = sorted((value for value in values if len(value) >= 2), key=len, reverse=True)
    # whole values only: a partner called "alle" must not hide the word in "Alle Treffen"
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")


def _ui_text(page, content):
    """The words a visitor reads (text, labels, JSON for the maps) minus the content
    (`content`: a pattern of the database's texts)."""
    page = re.sub(r"<(style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<(?!html)(\w+)[^>]*\blang="de"[^>]*>.*?</\1>', " ", page, flags=re.S)
    scripts = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page, re.S)
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    parts = ATTRIBUTES.findall(page)
    parts.append(re.sub(r"<[^>]+>", " ", page))
    for script in scripts:
        parts.extend(_json_strings(json.loads(script)))
    return content.sub(" ", html_lib.unescape(" \n ".join(parts)))


def _json_strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in {"url", "slug", "kind", "colour", "type"}:
                yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)


def german_words(text):
    return sorted({word for word in WORD.findall(text) if word in GERMAN})


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module (photos in a temporary folder), rolled back after."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        call_command("demo", no_serve=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def public_pages():
    quarter = Area.objects.get(slug="suedstadt")
    social = Area.objects.get(slug="suedstadt-am-park")
    retired = Area.objects.get(slug="suedstadt-ost")
    answered = (
        Idea.objects.listed().filter(answers__isnull=False, comment_count__gt=0).first()
        or Idea.objects.listed().first()
    )
    full = next(
        meeting
        for meeting in Meeting.objects.with_counts().filter(status="planned")
        if meeting.capacity and meeting.is_full
    )
    roomy = next(
        meeting
        for meeting in Meeting.objects.with_counts().filter(status="planned")
        if meeting.capacity and not meeting.is_full
    )
    held = Meeting.objects.filter(status="held", collected_ideas__isnull=False).first() or (
        Meeting.objects.filter(status="held").first()
    )
    partner = Partner.objects.filter(cooperations__isnull=False).first()
    return [
        "/",
        "/quartiere/",
        quarter.get_absolute_url(),
        social.get_absolute_url(),
        retired.get_absolute_url(),
        "/quartiere/finden/?lat=10&lng=10",
        "/ideen/",
        "/ideen/?kind=idea&status=planned&sort=supported",
        "/ideen/karte/",
        answered.get_absolute_url(),
        "/ideen/neu/",
        "/ideen/danke/",
        "/treffen/",
        "/treffen/?zeit=vergangen",
        full.get_absolute_url(),
        roomy.get_absolute_url(),
        held.get_absolute_url(),
        "/stimmung/",
        f"/stimmung/?gebiet={quarter.slug}&beantwortet=1",
        "/netzwerk/",
        partner.get_absolute_url(),
        "/netzwerk/bild/",
        "/netzwerk/mitmachen/",
        "/offene-daten/",
        "/benachrichtigungen/neu/",
        "/benachrichtigungen/ort/",
        "/konto/anmelden/",
        "/konto/registrieren/",
        "/konto/passwort-vergessen/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/gibt-es-nicht/",
    ]


SIGNED_IN_PAGES = ["/", "/konto/", "/konto/beitraege/", "/benachrichtigungen/"]


def german_on(client, urls, content, *, method="get"):
    """{url: German UI words} for the pages that have any."""
    found = {}
    for url in urls:
        response = getattr(client, method)("/en" + url, {"website": ""} if method == "post" else {})
        assert response.status_code in (200, 400, 404), url
        words = german_words(_ui_text(response.content.decode(), content))
        if words:
            found[url] = words
    return found


@pytest.mark.usefixtures("demo")
def test_every_public_page_is_english():
    found = german_on(Client(), public_pages(), _strings_from_the_database())
    assert not found, f"German UI words on English pages: {found}"


@pytest.mark.usefixtures("demo")
def test_pages_of_a_signed_in_resident_are_english():
    from django.contrib.auth import get_user_model

    client = Client()
    resident = get_user_model().objects.get(username="bewohnerin")
    client.force_login(resident)
    meeting = Meeting.objects.filter(registrations__user=resident, status="planned").first()
    idea = Idea.objects.listed().exclude(author=resident).first()
    urls = [*SIGNED_IN_PAGES, meeting.get_absolute_url(), idea.get_absolute_url()]
    found = german_on(client, urls, _strings_from_the_database())
    assert not found, f"German UI words on English pages: {found}"


@pytest.mark.usefixtures("demo")
def test_forms_with_errors_are_english():
    meeting = Meeting.objects.filter(status="planned").first()
    urls = [
        "/ideen/neu/",
        "/stimmung/",
        "/netzwerk/mitmachen/",
        "/konto/registrieren/",
        meeting.get_absolute_url(),
    ]
    found = german_on(Client(), urls, _strings_from_the_database(), method="post")
    assert not found, f"German UI words on English pages: {found}"


def test_the_meeting_sign_up_box_says_register_not_sign_in(client):
    from tests.factories import make_area
    from tests.participation.meeting_factories import make_meeting

    meeting = make_meeting(make_area("Weststadt"), capacity=10)
    page = client.get("/en" + meeting.get_absolute_url()).content.decode()
    box = page.split('id="register-heading"')[1].split("</section>")[0]
    assert "Register for this meeting" in box and "Register (binding)" in box
    assert "Sign in" not in box


@pytest.mark.usefixtures("demo")
def test_the_check_finds_german_ui_words():
    content = _strings_from_the_database()
    page = Client().get("/").content.decode()
    assert {"Beiträge", "Treffen", "Stimmungsbarometer", "Anmelden"} <= set(
        german_words(_ui_text(page, content))
    )
