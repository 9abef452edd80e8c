"""The portal in Arabic (right to left) and Turkish, in a real browser: accessible, mirrored,
the six-language switcher usable on a phone, residents' words marked with their language."""

import datetime
import os

import pytest

from participation.ideas.models import Comment, Idea, IdeaKind, IdeaStatus
from participation.topics.models import Topic
from quartier.languages import OTHER_LANGUAGE
from tests.factories import make_area, make_user, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def shot(page, name):
    """Keep a screenshot to look at when SCREENSHOT_DIR is set."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("language", ["ar", "tr"])
def test_home_and_forms_are_accessible(page, live_server, axe_check, language):
    make_area("Südstadt", boundary=square(7.0, 50.0))
    for path in ["/", "/ideen/neu/", "/stimmung/", "/konto/registrieren/"]:
        page.goto(f"{live_server.url}/{language}{path}")
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        axe_check(page)
    assert page.foreign_requests == []


def test_the_arabic_home_page_is_mirrored(page, live_server):
    page.goto(live_server.url + "/")
    german_name, german_switch = box(page, ".site-name"), box(page, ".language-switch")
    assert german_name["x"] < german_switch["x"]  # left to right: the name at the left
    page.goto(live_server.url + "/ar/")
    shot(page, "home-ar-1280")
    name, switch = box(page, ".site-name"), box(page, ".language-switch")
    width = page.viewport_size["width"]
    assert name["x"] > switch["x"]  # the portal's name now sits at the right
    assert name["x"] + name["width"] > width * 0.8
    assert switch["x"] < width * 0.5
    direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
    assert direction == "rtl"


def test_the_map_reads_left_to_right_in_arabic(page, live_server):
    make_area("Südstadt", boundary=square(7.0, 50.0))
    page.goto(live_server.url + "/ar/ideen/karte/")
    assert page.evaluate("getComputedStyle(document.querySelector('.map')).direction") == "ltr"


def test_six_languages_fit_a_phone(page, live_server, axe_check):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ["/ar/", "/uk/"]:
        page.goto(live_server.url + path)
        shot(page, f"home{path.strip('/')}-375")
        links = page.locator(".language-switch a")
        assert links.count() == 6
        for index in range(6):
            link = links.nth(index)
            area = link.bounding_box()
            assert area["x"] >= 0 and area["x"] + area["width"] <= 375, link.inner_text()
            assert area["height"] >= 24  # a target a finger can hit
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        axe_check(page)
    page.locator(".language-switch a[lang='tr']").click()
    page.wait_for_url(live_server.url + "/tr/")
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_residents_words_keep_their_language_on_an_arabic_page(page, live_server, axe_check):
    area = make_area("Südstadt")
    idea = Idea.objects.create(
        kind=IdeaKind.IDEA,
        title="Mehr Bänke",
        text="Bitte mehr Bänke am Platz.",
        topic=Topic.objects.filter(is_active=True).first(),
        area=area,
        status=IdeaStatus.PUBLISHED,
        confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    Comment.objects.create(idea=idea, author=make_user("leila"), text="فكرة جيدة", language="ar")
    Comment.objects.create(
        idea=idea, author=make_user("kofi"), text="Ɛyɛ adwene pa", language=OTHER_LANGUAGE
    )
    page.goto(f"{live_server.url}/ar{idea.get_absolute_url()}")
    assert page.locator("h1").get_attribute("lang") == "de"
    texts = page.locator(".comment-text")
    assert [texts.nth(i).get_attribute("lang") for i in range(2)] == ["ar", "und"]
    assert texts.nth(0).evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator(".idea-text").evaluate("e => getComputedStyle(e).direction") == "ltr"
    shot(page, "idea-ar-1280")
    axe_check(page)


def test_plain_language_help_opens_without_javascript(browser, live_server):
    make_area("Südstadt")
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ideen/neu/")
        help_text = page.get_by_text("Schreiben Sie hier ein paar Wörter. Worum geht es?")
        assert not help_text.is_visible()
        page.locator("details.easy-help summary").nth(1).click()
        assert help_text.is_visible()
        shot(page, "idea-form-easy-help")
    finally:
        context.close()
