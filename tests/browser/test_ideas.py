"""The whole path of an idea in the browser: a visitor submits it with a photo, confirms it
through the link in the mail, a manager approves it in the admin, and it is public without
the photo's EXIF data."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from PIL import Image

from participation.ideas.models import Idea, IdeaStatus
from tests.factories import make_manager, make_user
from tests.participation.helpers import jpeg_with_gps, make_idea, two_areas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_to_public_idea(page, live_server, axe_check):
    north, _south = two_areas()
    Group.objects.get_or_create(name="Quartiersmanagement")  # flushed by earlier browser tests
    manager = make_manager(north, username="qm-nord")

    page.goto(live_server.url + "/ideen/neu/")
    axe_check(page)
    page.get_by_label("Schwäche").check()
    page.get_by_label("Titel").fill("Kaputte Laterne <b>sofort</b>")
    page.locator("#id_text").fill("Seit Wochen dunkel.")
    page.get_by_label("Gebiet").select_option(str(north.pk))
    page.get_by_label("Foto (freiwillig)").set_input_files(
        {"name": "laterne.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    page.get_by_label("Was ist auf dem Foto zu sehen?").fill("Eine dunkle Laterne")
    page.get_by_label("Ihr Name").fill("Erika")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    # first submit without consent: the error says what to fix and keeps the typed text
    page.get_by_role("button", name="Beitrag abschicken").click()
    page.locator(".form-error-summary").wait_for()
    assert page.get_by_label("Titel").input_value() == "Kaputte Laterne <b>sofort</b>"
    assert "noch einmal aus" in page.content()
    axe_check(page)
    page.get_by_label("Foto (freiwillig)").set_input_files(
        {"name": "laterne.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    page.locator("#id_privacy").check()
    page.get_by_role("button", name="Beitrag abschicken").click()
    page.wait_for_url("**/ideen/danke/")
    assert "E-Mail geschickt" in page.content()

    idea = Idea.objects.get()
    assert idea.confirmed_at is None
    link = re.search(r"http\S+/ideen/bestaetigen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + link.split("127.0.0.1:8000", 1)[-1])
    assert "bestätigt" in page.locator("h1").inner_text()

    page.goto(live_server.url + "/verwaltung/login/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", "geheim-und-lang-genug")
    page.locator("input[type=submit]").click()
    page.goto(live_server.url + "/verwaltung/participation/idea/")
    page.locator(f"input[name=_selected_action][value='{idea.pk}']").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED

    page.context.clear_cookies()
    page.goto(live_server.url + "/ideen/")
    axe_check(page)
    page.get_by_role("link", name="Kaputte Laterne <b>sofort</b>").click()
    assert page.locator("h1").inner_text() == "Kaputte Laterne <b>sofort</b>"
    axe_check(page)
    with idea.photo.open() as stored:
        image = Image.open(stored)
        assert not image.getexif()
    assert page.foreign_requests == []


def test_map_page_and_geojson_in_browser(page, live_server, axe_check):
    north, south = two_areas()
    make_idea(north, title="Nordidee")
    make_idea(south, title="Südstärke", kind="strength")
    page.goto(live_server.url + "/ideen/karte/?kind=strength")
    axe_check(page)
    data = page.evaluate("fetch('/ideen.geojson?kind=strength').then(r => r.json())")
    assert [f["properties"]["title"] for f in data["features"]] == ["Südstärke"]
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/ideen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_resident_supports_and_comments(page, live_server, axe_check):
    north, _south = two_areas()
    idea = make_idea(north, title="Bänke am Platz")
    resident = make_user("anwohnerin")
    page.goto(live_server.url + "/konto/anmelden/?next=" + idea.get_absolute_url())
    page.fill("#id_username", resident.username)
    page.fill("#id_password", "geheim-und-lang-genug")
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_url("**" + idea.get_absolute_url())
    axe_check(page)
    page.get_by_label("Per E-Mail über Neuigkeiten").check()
    page.get_by_role("button", name="Unterstützen").click()
    page.get_by_text("Sie unterstützen diesen Beitrag.").wait_for()
    page.get_by_label("Ihr Kommentar").fill("Ich bin <i>dafür</i>")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.get_by_text("Ich bin <i>dafür</i>").wait_for()
    axe_check(page)
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 1)
    assert idea.supports.get().notify is True
