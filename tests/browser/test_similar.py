"""While a title is typed on the submit form, look-alike published ideas appear; the page
stays axe-clean, and after seeing them the form is sent without a second step."""

import pytest

from participation.ideas.models import Idea
from tests.participation.helpers import make_idea, two_areas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_similar_ideas_hint_while_typing(page, live_server, axe_check):
    north, _south = two_areas()
    original = make_idea(north, title="Bänke am Spielplatz fehlen")
    page.goto(live_server.url + "/ideen/neu/")
    page.get_by_label("Schwäche").check()
    page.get_by_label("Gebiet").select_option(str(north.pk))
    page.get_by_label("Titel").press_sequentially("Mehr Bänke am Spielplatz", delay=20)
    hint = page.locator("#similar-ideas")
    hint.get_by_role("link", name="Bänke am Spielplatz fehlen", exact=True).wait_for()
    assert "Ähnliche Beiträge" in hint.inner_text()
    link = hint.locator("a.similar-support")
    assert link.get_attribute("href").endswith(f"/ideen/{original.pk}/#unterstuetzen")
    axe_check(page)

    page.locator("#id_text").fill("Eltern können nirgends sitzen.")
    page.get_by_label("Ihr Name").fill("Erika")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.locator("#id_privacy").check()
    page.get_by_role("button", name="Beitrag abschicken").click()
    page.wait_for_url("**/ideen/danke/")
    assert Idea.objects.filter(title="Mehr Bänke am Spielplatz").exists()
    assert not page.foreign_requests
