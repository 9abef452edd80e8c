"""Six interface languages (German, English, Turkish, Arabic, Ukrainian, Russian), chosen by
PORTAL_LANGUAGES; Arabic right to left; mails in the language a person uses; residents' own
words marked with the language they were written in; areas in Leichte Sprache."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import clear_url_caches
from django.utils import translation

from participation.funds.models import FundApplication
from participation.ideas import services as idea_services
from participation.ideas.models import Comment, Idea, IdeaKind, IdeaStatus
from participation.subscriptions import services as subscription_services
from participation.topics.models import Topic
from quartier.languages import OTHER_LANGUAGE, mail_language, remember_language
from quartier.settings import KNOWN_LANGUAGES, portal_languages
from tests.factories import make_area, make_coordination, make_user
from tests.quartier.test_english import demo, public_pages  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ALL = list(KNOWN_LANGUAGES)
HTML_TAG = re.compile(r"<html lang=\"([^\"]+)\" dir=\"(ltr|rtl)\">")


@pytest.fixture
def offered(settings):
    """Offer only some languages (as PORTAL_LANGUAGES would), with the URL resolvers reset."""

    def offer(value):
        settings.LANGUAGES = portal_languages(value)
        clear_url_caches()

    yield offer
    clear_url_caches()


def extra_public_pages():
    return ["/umfragen/", "/fonds/", "/vorhaben/", "/gremien/", "/leichte-sprache/"]


# --- the setting --------------------------------------------------------------------------


def test_all_six_languages_by_default_in_the_switchers_order():
    assert [code for code, _name in portal_languages("")] == ["de", "en", "tr", "ar", "uk", "ru"]
    assert dict(portal_languages(""))["ar"] == "العربية"


def test_german_is_always_offered_and_codes_are_tidied():
    assert portal_languages(" TR , en") == [("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe")]
    assert portal_languages("ar") == [("de", "Deutsch"), ("ar", "العربية")]


def test_an_unknown_language_stops_the_start_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured) as error:
        portal_languages("de,en,fr,xx")
    assert "PORTAL_LANGUAGES: 'fr', 'xx' unknown" in str(error.value)
    assert "de, en, tr, ar, uk, ru" in str(error.value)


def test_a_language_not_offered_is_not_found_under_its_prefix(client, offered):
    offered("de,en,tr")
    assert client.get("/tr/").status_code == 200
    assert client.get("/ar/").status_code == 404
    assert client.get("/ru/ideen/").status_code == 404


def test_the_switcher_lists_the_offered_languages_in_their_own_names(client, offered):
    offered("en,tr")
    body = client.get("/ideen/").content.decode()
    switcher = body.split('class="language-switch"')[1].split("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)" dir="(\w+)"', switcher)
    assert links == [
        ("/ideen/", "de", "de", "ltr"),
        ("/en/ideen/", "en", "en", "ltr"),
        ("/tr/ideen/", "tr", "tr", "ltr"),
    ]
    assert ">Türkçe</a>" in switcher
    assert "العربية" not in switcher


def test_the_switcher_names_all_six_with_arabic_right_to_left(client):
    body = client.get("/ar/").content.decode()
    for code, name in KNOWN_LANGUAGES.items():
        assert f'hreflang="{code}" lang="{code}"' in body
        assert f">{name}</a>" in body
    assert 'hreflang="ar" lang="ar" dir="rtl" aria-current="true">العربية</a>' in body


def test_maps_stay_left_to_right_in_arabic(client):
    body = client.get("/ar/ideen/karte/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert re.search(r'<div id="[\w-]+" class="map js-map[^"]*" dir="ltr" role="region"', body)


def test_the_admin_keeps_djangos_right_to_left_support(client):
    client.force_login(make_coordination())
    response = client.get("/ar/verwaltung/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "admin/css/rtl.css" in body


# --- mails in the person's language -------------------------------------------------------


def test_a_mail_is_rendered_in_the_language_given_and_says_so(requests_commit):
    from quartier.mail import render_portal_mail

    with translation.override("de"):
        outgoing = render_portal_mail(
            to="a@example.org",
            subject="x",
            template="mail/participation/idea_confirm.txt",
            context={"idea": Idea(title="t"), "link": "https://x", "days": 7},
            language="tr",
        )
    assert outgoing.headers["Content-Language"] == "tr"


def test_an_account_remembers_the_language_it_is_used_in():
    user = make_user("ayse")
    assert user.language == "de"
    with translation.override("tr"):
        remember_language(user)
    user.refresh_from_db()
    assert user.language == "tr"
    assert mail_language(user) == "tr"


def test_a_language_no_longer_offered_falls_back_to_german(settings):
    user = make_user("olena", language="uk")
    settings.LANGUAGES = portal_languages("en")
    assert mail_language(user) == "de"
    assert mail_language(None, fallback=OTHER_LANGUAGE) == "de"


def _idea(author=None, **extra):
    topic = Topic.objects.filter(is_active=True).first()
    fields = {
        "kind": IdeaKind.IDEA,
        "title": "Bank am Platz",
        "text": "Bitte eine Bank.",
        "topic": topic,
        "author": author,
        "status": IdeaStatus.PUBLISHED,
        "confirmed_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        **extra,
    }
    fields["area"] = fields.get("area") or make_area()
    return Idea.objects.create(**fields)


def test_the_answer_to_a_turkish_speakers_idea_is_mailed_in_turkish(
    django_capture_on_commit_callbacks,
):
    author = make_user("mehmet", email="mehmet@example.org", language="tr")
    supporter = make_user("anna", email="anna@example.org")
    idea = _idea(author=author)
    idea.supports.create(user=supporter, notify=True)
    manager = make_coordination()
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        # staff answer in German
        idea_services.idea_answer(idea=idea, by=manager, text="Wir prüfen das.")
    languages = {item.to[0]: item.extra_headers["Content-Language"] for item in mail.outbox}
    assert languages == {"mehmet@example.org": "tr", "anna@example.org": "de"}


def test_a_visitors_subscription_mails_in_the_language_it_was_ordered_in(
    django_capture_on_commit_callbacks,
):
    area = make_area()
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        subscription = subscription_services.subscription_create(
            email="leila@example.org", area=area
        )
    assert subscription.language == "ar"
    assert mail.outbox[-1].extra_headers["Content-Language"] == "ar"
    with translation.override("de"):
        later = subscription_services.subscriber_mail(
            subscription, subject="Neues", template="mail/subscriptions/digest.txt"
        )
    assert later.headers["Content-Language"] == "ar"


def test_signing_up_in_ukrainian_keeps_ukrainian_on_the_account(client, requests_commit):
    from django.contrib.auth import get_user_model

    response = client.post(
        "/uk/konto/registrieren/",
        {
            "username": "olena",
            "email": "olena@example.org",
            "password1": "ein-langes-Passwort-7",
            "password2": "ein-langes-Passwort-7",
            "privacy": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="olena").language == "uk"
    assert mail.outbox[-1].extra_headers["Content-Language"] == "uk"


def test_a_visitors_fund_application_is_answered_in_the_language_it_was_written_in(
    django_capture_on_commit_callbacks,
):
    from participation.funds import services as fund_services
    from tests.participation.fund_factories import make_application, make_fund

    fund = make_fund(make_area())
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        application = make_application(fund)
    assert application.language == "ru"
    assert mail.outbox[-1].extra_headers["Content-Language"] == "ru"
    staff = make_user(is_staff=True)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        fund_services.application_confirm(application=application)
        fund_services.application_check(
            application=application, by=staff, complete=True, eligible=True, costs=True
        )
    assert mail.outbox[-1].extra_headers["Content-Language"] == "ru"


# --- residents' own words -----------------------------------------------------------------


def test_existing_rows_and_new_ones_default_to_the_interface_language():
    assert Idea._meta.get_field("language").default == "de"
    assert Comment._meta.get_field("language").default == "de"
    assert FundApplication._meta.get_field("language").default == "de"


def test_an_idea_records_the_language_chosen_in_the_form(client, requests_commit):
    area = make_area()
    topic = Topic.objects.filter(is_active=True).first()
    client.force_login(make_user("ayse", email="ayse@example.org"))
    form = client.get("/tr/ideen/neu/").content.decode()
    assert 'name="language"' in form
    assert '<option value="tr" selected>Türkçe</option>' in form
    assert '<option value="und">' in form
    key = re.search(r'name="form_key" value="([^"]+)"', form).group(1)
    response = client.post(
        "/tr/ideen/neu/",
        {
            "kind": "idea",
            "title": "Parka bank",
            "text": "Parkta daha fazla bank olsun.",
            "language": "tr",
            "topic": topic.pk,
            "area": area.pk,
            "confirm_new": "on",
            "form_key": key,
            "website": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    idea = Idea.objects.get()
    assert idea.language == "tr"
    idea.status = IdeaStatus.PUBLISHED
    idea.save()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert '<h1 lang="tr" dir="auto">Parka bank</h1>' in page
    assert '<div class="idea-text" lang="tr" dir="auto">' in page


def test_a_language_the_portal_does_not_offer_is_refused_in_the_form(client, offered):
    offered("de,en")
    make_area()
    client.force_login(make_user("ayse"))
    form = client.get("/ideen/neu/").content.decode()
    assert '<option value="tr"' not in form
    response = client.post("/ideen/neu/", {"title": "x", "text": "y", "language": "tr"})
    assert response.status_code == 400
    assert "tr ist keine gültige Auswahl." in response.content.decode()


def test_a_comment_in_arabic_is_marked_and_stored(client):
    idea = _idea()
    user = make_user("leila")
    client.force_login(user)
    page = client.get(f"/ar{idea.get_absolute_url()}").content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/ar/ideen/{idea.pk}/kommentieren/",
        {"text": "فكرة جيدة", "language": "ar", "form_key": key},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.language == "ar"
    user.refresh_from_db()
    assert user.language == "ar"  # her mails follow
    page = client.get(idea.get_absolute_url()).content.decode()
    assert '<div class="comment-text" lang="ar" dir="auto"><p>فكرة جيدة</p></div>' in page


def test_a_form_sent_without_the_language_takes_the_pages(client):
    idea = _idea()
    client.force_login(make_user("ayse"))
    page = client.get(f"/tr{idea.get_absolute_url()}").content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    response = client.post(f"/tr/ideen/{idea.pk}/kommentieren/", {"text": "İyi", "form_key": key})
    assert response.status_code == 302
    assert Comment.objects.get().language == "tr"


def test_a_contribution_in_another_language_is_marked_undetermined(client):
    _idea(language=OTHER_LANGUAGE)
    body = client.get("/ideen/").content.decode()
    assert 'lang="und" dir="auto">Bank am Platz</a>' in body


def test_the_idea_list_filters_by_language(client):
    area = make_area()
    _idea(area=area, title="Bank am Platz")
    _idea(area=area, title="Parka bank", language="tr")
    _idea(area=area, title="لافتة", language="ar")
    body = client.get("/ideen/?language=tr").content.decode()
    assert "Parka bank" in body and "Bank am Platz" not in body and "لافتة" not in body
    body = client.get("/ideen/?language=de").content.decode()
    assert "Bank am Platz" in body and "Parka bank" not in body
    assert "Alle Sprachen" in body
    response = client.get("/ideen/?language=<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_the_language_filter_costs_no_extra_query_per_idea(client):
    area = make_area()
    for number in range(2):
        _idea(area=area, title=f"Idee {number}", language="tr")
    client.get("/ideen/?language=tr")  # warm the caches
    few = _queries(client, "/ideen/?language=tr")
    for number in range(2, 8):
        _idea(area=area, title=f"Idee {number}", language="tr")
    assert _queries(client, "/ideen/?language=tr") == few


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# --- plain language -----------------------------------------------------------------------


def test_an_area_in_leichte_sprache_is_linked_from_its_page(client):
    area = make_area(
        "Südstadt",
        easy_language="Die Südstadt ist ein Teil der Stadt.\n\n## Was gibt es hier?\n- Einen Park",
        easy_language_updated_on=datetime.date(2026, 11, 2),
    )
    page = client.get(area.get_absolute_url()).content.decode()
    url = f"/quartiere/{area.slug}/leichte-sprache/"
    assert f'<a href="{url}" lang="de">Südstadt in Leichter Sprache</a>' in page
    easy = client.get(url)
    assert easy.status_code == 200
    body = easy.content.decode()
    assert "<h1>Südstadt in Leichter Sprache</h1>" in body
    assert "<h2>Was gibt es hier?</h2>" in body and "<li>Einen Park</li>" in body
    assert 'datetime="2026-11-02"' in body
    english = client.get(f"/en{url}").content.decode()
    assert '<article class="legal" lang="de">' in english


def test_an_area_without_leichte_sprache_has_no_such_page_and_no_link(client):
    area = make_area("Nordstadt")
    assert (
        "leichte-sprache"
        not in client.get(area.get_absolute_url())
        .content.decode()
        .split("<main")[1]
        .split("</main>")[0]
    )
    assert client.get(f"/quartiere/{area.slug}/leichte-sprache/").status_code == 404
    assert client.get("/quartiere/gibt-es-nicht/leichte-sprache/").status_code == 404


def test_staff_edit_the_plain_language_text_in_the_areas_admin(client):
    client.force_login(make_coordination())
    area = make_area("Südstadt")
    body = client.get(f"/verwaltung/neighbourhoods/area/{area.pk}/change/").content.decode()
    assert 'name="easy_language"' in body
    assert 'name="easy_language_updated_on"' in body


@pytest.mark.parametrize(
    "url", ["/ideen/neu/", "/stimmung/", "/konto/registrieren/", "/en/ideen/neu/"]
)
def test_the_main_forms_explain_their_fields_in_plain_language_on_request(client, url):
    make_area()
    body = client.get(url).content.decode()
    disclosures = re.findall(r'<details class="easy-help"><summary>([^<]+)<', body)
    assert len(disclosures) >= 3, url
    assert set(disclosures) == {"Plain words" if url.startswith("/en/") else "Einfach erklärt"}


def test_the_comment_form_explains_itself_in_plain_language(client):
    idea = _idea()
    client.force_login(make_user("anna"))
    body = client.get(idea.get_absolute_url()).content.decode()
    assert "Alle können Ihren Kommentar lesen." in body


# --- every public page in every language (last: the demo stays loaded to the module end)


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("language", ALL)
def test_every_public_page_has_its_language_and_direction(language):
    client = Client()
    prefix = "" if language == "de" else f"/{language}"
    expected_dir = "rtl" if language == "ar" else "ltr"
    for url in [*public_pages(), *extra_public_pages()]:
        response = client.get(prefix + url)
        expected_status = 404 if url == "/gibt-es-nicht/" else 200
        assert response.status_code == expected_status, (language, url)
        tag = HTML_TAG.search(response.content.decode())
        assert tag is not None, (language, url)
        assert tag.groups() == (language, expected_dir), (language, url)
