"""Paper cards (participation.paper): printable per area and language, a QR code that opens
the online form, and the returned cards entered in one go into the moderation queue."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from participation.ideas.models import Idea, IdeaStatus, ModerationLog
from tests.factories import make_manager, make_user
from tests.qr import decode_svg

from .helpers import ensure_topic, two_areas

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg role=\"img\".*?</svg>", re.S)


def cards_url(area, language, card=None):
    with translation.override(language):
        if card:
            return reverse("participation:paper-card", args=[area.slug, card])
        return reverse("participation:paper-cards", args=[area.slug])


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_cards_render_in_every_offered_language_with_a_code_to_the_form(client, language):
    north, _south = two_areas()
    response = client.get(cards_url(north, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "css/paper.css" in html
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    expected = [
        f"http://testserver{prefix}/ideen/neu/?gebiet=nordstadt&art=idea",
        f"http://testserver{prefix}/ideen/neu/?gebiet=nordstadt&art=strength",
    ]
    codes = SVG.findall(html)
    assert [decode_svg(svg) for svg in codes] == expected
    for url in expected:  # the address is printed under the code, for typing it in
        assert url.replace("&", "&amp;") in html
    assert html.count('class="paper-card"') == 2
    assert settings.PAPER_RETURN_ADDRESS in html
    assert html.count('class="paper-lines') >= 5  # lines to write on


def test_one_card_alone_and_unknown_names_refused(client):
    north, _south = two_areas()
    html = client.get(cards_url(north, "de", "stimmung")).content.decode()
    assert html.count('class="paper-card"') == 1 and "Das sollte besser werden" in html
    assert client.get(cards_url(north, "de", "plakat")).status_code == 404
    assert client.get("/karten/gibt-es-nicht/").status_code == 404


def test_print_css_puts_each_card_on_its_own_page():
    css = (settings.BASE_DIR / "static/css/paper.css").read_text()
    print_part = css[css.index("@media print") :]
    assert "size: A5 portrait" in print_part and "break-after: page" in print_part


def test_the_code_opens_the_form_for_the_area_and_kind(client):
    north, _south = two_areas()
    page = client.get("/ideen/neu/?gebiet=nordstadt&art=strength").content.decode()
    assert re.search(r'value="strength"[^>]*checked', page)
    assert re.search(rf'<option value="{north.pk}" selected', page)
    client.get("/ideen/neu/?art=<script>")  # anything else is ignored, no error


def test_area_page_and_area_admin_link_the_cards(client):
    north, _south = two_areas()
    assert cards_url(north, "de") in client.get(north.get_absolute_url()).content.decode()
    client.force_login(make_manager(north))
    page = client.get(reverse("admin:neighbourhoods_area_change", args=[north.pk]))
    html = page.content.decode()
    assert "Papierkarten drucken" in html and cards_url(north, "de") in html
    assert reverse("admin:participation_idea_paper") + f"?gebiet={north.pk}" in html


def test_survey_questionnaire_printed_for_an_area(client, survey):
    area = survey.areas.get(slug="nordstadt")
    html = client.get(f"/umfragen/{survey.pk}/drucken/?gebiet=nordstadt").content.decode()
    expected = f"http://testserver/umfragen/{survey.pk}/?gebiet=nordstadt"
    assert decode_svg(SVG.search(html).group(0)) == expected
    assert expected in html and area.name in html and settings.PAPER_RETURN_ADDRESS in html
    form = client.get(expected).content.decode()
    assert re.search(rf'<option value="{area.pk}" selected', form)
    cards = client.get(cards_url(area, "de")).content.decode()
    assert f"/umfragen/{survey.pk}/drucken/?gebiet=nordstadt" in cards


# --- returned cards -----------------------------------------------------------------------


def paper_data(area, rows, *, total=5):
    data = {
        "area": str(area.pk),
        "beitrag-TOTAL_FORMS": str(total),
        "beitrag-INITIAL_FORMS": "0",
        "beitrag-MIN_NUM_FORMS": "0",
        "beitrag-MAX_NUM_FORMS": "50",
    }
    for number in range(total):
        data[f"beitrag-{number}-kind"] = "idea"
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"beitrag-{number}-{key}"] = value
    return data


def three_cards():
    topic = ensure_topic()
    return [
        {"kind": "idea", "title": "Bank am Spielplatz", "text": "Für Eltern", "topic": topic.pk},
        {"kind": "strength", "title": "Der Wochenmarkt", "text": "Bunt", "topic": topic.pk},
        {"kind": "weakness", "title": "Dunkler Weg", "text": "Am Bach", "topic": topic.pk},
    ]


PAPER_URL = "/verwaltung/participation/idea/papierkarten/"


def test_three_paper_cards_wait_in_the_moderation_queue(client):
    north, _south = two_areas()
    manager = make_manager(north)
    client.force_login(manager)
    assert reverse("admin:participation_idea_paper") == PAPER_URL
    assert client.get(PAPER_URL + f"?gebiet={north.pk}").status_code == 200
    response = client.post(PAPER_URL, paper_data(north, three_cards()))
    assert response.status_code == 302
    queue = Idea.objects.awaiting_moderation().order_by("pk")
    assert [(idea.kind, idea.channel) for idea in queue] == [
        ("idea", "paper"),
        ("strength", "paper"),
        ("weakness", "paper"),
    ]
    for idea in queue:
        assert idea.status == IdeaStatus.PENDING and idea.area == north and idea.meeting is None
        assert not idea.is_public
    assert ModerationLog.objects.filter(action="enter", actor=manager).count() == 3
    changelist = client.get(response["Location"]).content.decode()
    assert "Bank am Spielplatz" in changelist and "Dunkler Weg" in changelist


def test_paper_cards_all_or_nothing_and_only_in_own_areas(client):
    north, south = two_areas()
    client.force_login(make_manager(north))
    rows = three_cards()
    rows[1]["title"] = ""
    response = client.post(PAPER_URL, paper_data(north, rows))
    assert response.status_code == 200 and not Idea.objects.exists()
    assert "Bank am Spielplatz" in response.content.decode()  # nothing typed is lost
    response = client.post(PAPER_URL, paper_data(south, three_cards()))
    assert response.status_code == 200 and not Idea.objects.exists()
    assert "gültige Auswahl" in response.content.decode()
    response = client.post(PAPER_URL, paper_data(north, []))
    assert "mindestens einen Beitrag" in response.content.decode()
    assert not Idea.objects.exists()
    assert client.post(PAPER_URL, {"area": "x"}).status_code == 200  # no management form


def test_residents_cannot_enter_cards(client):
    north, _south = two_areas()
    client.force_login(make_user())
    response = client.post(PAPER_URL, paper_data(north, three_cards()))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Idea.objects.exists()
