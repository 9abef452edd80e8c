"""Browser tests of paper cards and widgets: the cards (axe, printed as PDF and seen with print
media, the QR code read back from the screen), three returned cards entered in the back office,
and widgets framed by an allowed origin and refused for any other (a parent page served by a
local http.server)."""

import functools
import http.server
import os
import threading

import pytest
from django.conf import settings
from playwright.sync_api import expect

from participation.ideas.models import Idea
from tests.browser.test_backoffice import log_in
from tests.factories import make_manager
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting
from tests.qr import decode_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALLOWED_PORT, REFUSED_PORT = 8111, 8112  # this branch's ports (see the brief)


def shots_folder(tmp_path):
    return os.environ.get("QUARTIER_SCREENSHOTS") or str(tmp_path)


def screenshot(page, folder, name):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})


@pytest.fixture
def north():
    north, _south = two_areas()
    return north


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_cards_accessible_printable_and_their_code_readable(
    page, live_server, axe_check, north, tmp_path, language
):
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    page.goto(f"{live_server.url}{prefix}/karten/{north.slug}/")
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page)
    folder = shots_folder(tmp_path)
    screenshot(page, folder, f"paper-cards-{language}")
    for card, kind in (("idee", "idea"), ("stimmung", "strength")):
        code = page.locator(f'[aria-labelledby="paper-card-{card}"] .paper-qr svg')
        code.screenshot(path=f"{folder}/qr-{card}-{language}.png")
        expected = f"{live_server.url}{prefix}/ideen/neu/?gebiet={north.slug}&art={kind}"
        assert decode_image(f"{folder}/qr-{card}-{language}.png") == expected
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 559, "height": 794})  # A5 at 96 dpi, to look at
    assert page.locator(".site-header").is_hidden() and page.locator(".paper-intro").is_hidden()
    page.screenshot(path=f"{folder}/paper-cards-print-{language}.png", full_page=True)
    pdf = page.pdf(path=f"{folder}/paper-cards-{language}.pdf", prefer_css_page_size=True)
    from io import BytesIO

    from pypdf import PdfReader

    pages = PdfReader(BytesIO(pdf)).pages
    assert len(pages) == 2  # a card per page
    width_mm = float(pages[0].mediabox.width) / 72 * 25.4
    height_mm = float(pages[0].mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (148, 210)  # A5 portrait
    page.emulate_media(media="screen")


def test_three_returned_cards_entered_in_the_back_office(page, live_server, axe_check, north):
    manager = make_manager(north)
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{north.pk}/change/")
    page.get_by_role("link", name="Papierkarten erfassen").click()
    page.wait_for_url("**/papierkarten/**")
    axe_check(page)
    rows = [
        ("idea", "Trinkbrunnen am Platz", "Im Sommer fehlt Wasser."),
        ("strength", "Die Bücherei", "Offen für alle."),
        ("weakness", "Parkende Autos", "Auf dem Gehweg."),
    ]
    for number, (kind, title, text) in enumerate(rows):
        page.select_option(f"#id_beitrag-{number}-kind", kind)
        page.fill(f"#id_beitrag-{number}-title", title)
        page.fill(f"#id_beitrag-{number}-text", text)
        page.select_option(f"#id_beitrag-{number}-topic", index=1)
    page.get_by_role("button", name="Alle speichern (zur Prüfung)").click()
    expect(page.locator(".messagelist")).to_contain_text("3 Karten")
    for _kind, title, _text in rows:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    queue = Idea.objects.awaiting_moderation()
    assert sorted(queue.values_list("kind", "channel")) == [
        ("idea", "paper"),
        ("strength", "paper"),
        ("weakness", "paper"),
    ]


def test_snippet_generator(page, live_server, axe_check, north, settings):
    settings.EMBED_ORIGINS = [f"http://127.0.0.1:{ALLOWED_PORT}"]
    log_in(page, live_server, make_manager(north))
    page.goto(f"{live_server.url}/verwaltung/neighbourhoods/area/{north.pk}/change/")
    page.get_by_role("link", name="Für andere Websites einbetten").click()
    axe_check(page)
    page.select_option("#id_widget", "beitraege")
    page.select_option("#id_language", "en")
    page.get_by_role("button", name="Code erzeugen").click()
    code = page.locator("#embed-code").input_value()
    assert f'src="{live_server.url}/en/einbetten/{north.slug}/beitraege/"' in code
    assert 'loading="lazy"' in code and 'title="' in code
    axe_check(page)


# --- framing ----------------------------------------------------------------------------------


@pytest.fixture
def parent_pages(tmp_path, live_server, north):
    """The city's website on ALLOWED_PORT and some other website on REFUSED_PORT, each a page
    that frames every widget."""
    widgets = ["beitraege", "treffen", "karte", "idee"]
    frames = "\n".join(
        f'<iframe id="{name}" title="{name}" width="400" height="300" '
        f'src="{live_server.url}/einbetten/{north.slug}/{name}/"></iframe>'
        for name in widgets
    )
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html lang="de"><title>Stadt</title><main>{frames}</main></html>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    servers = [
        http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        for port in (ALLOWED_PORT, REFUSED_PORT)
    ]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield widgets
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def open_context(browser):
    """A browser context without the live-server-only guard (the parent page is elsewhere)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 1400})
    yield context
    context.close()


def test_widgets_framed_by_the_allowed_origin_only(
    open_context, live_server, parent_pages, north, settings, tmp_path
):
    settings.EMBED_ORIGINS = [f"http://127.0.0.1:{ALLOWED_PORT}"]
    make_idea(north, title="Neue Bänke am Markt")
    make_meeting(north, title="Stadtteilrunde Nord")
    folder = shots_folder(tmp_path)
    page = open_context.new_page()
    headers = {}
    page.on(
        "response",
        lambda response: (
            headers.__setitem__(response.url, response.headers)
            if "/einbetten/" in response.url
            else None
        ),
    )
    page.goto(f"http://127.0.0.1:{ALLOWED_PORT}/index.html")
    page.wait_for_load_state("load")
    expect(page.frame_locator("#beitraege").get_by_text("Neue Bänke am Markt")).to_be_visible()
    expect(page.frame_locator("#treffen").get_by_text("Stadtteilrunde Nord")).to_be_visible()
    expect(page.frame_locator("#karte").locator("svg.embed-map")).to_be_visible()
    expect(page.frame_locator("#idee").get_by_role("link", name="Idee einbringen")).to_be_visible()
    for name in parent_pages:
        frame = page.frame(url=f"{live_server.url}/einbetten/{north.slug}/{name}/")
        assert frame is not None and frame.locator("h1").count() == 1
        link = frame.locator("main a").first
        assert link.get_attribute("target") == "_blank"
    for url, values in headers.items():
        assert (
            f"frame-ancestors http://127.0.0.1:{ALLOWED_PORT}" in values["content-security-policy"]
        ), url
        assert "x-frame-options" not in values, url
    page.screenshot(path=f"{folder}/embeds-allowed.png", full_page=True)

    refused = open_context.new_page()
    refused.goto(f"http://127.0.0.1:{REFUSED_PORT}/index.html")
    refused.wait_for_load_state("load")
    refused.wait_for_timeout(500)
    for name in parent_pages:
        widget_url = f"{live_server.url}/einbetten/{north.slug}/{name}/"
        frames = [frame for frame in refused.frames if frame.url == widget_url]
        rendered = [frame for frame in frames if frame.locator("h1").count()]
        assert not rendered, f"{name} was rendered inside another origin's page"
    expect(refused.frame_locator("#beitraege").get_by_text("Neue Bänke am Markt")).to_have_count(0)
    refused.screenshot(path=f"{folder}/embeds-refused.png", full_page=True)


def test_other_pages_are_never_framed(open_context, live_server, north, settings, tmp_path):
    settings.EMBED_ORIGINS = [f"http://127.0.0.1:{ALLOWED_PORT}"]
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="de"><title>Stadt</title>'
        f'<iframe id="area" title="x" src="{live_server.url}{north.get_absolute_url()}"></iframe>'
        f'<iframe id="home" title="y" src="{live_server.url}/"></iframe></html>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", ALLOWED_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = open_context.new_page()
        page.goto(f"http://127.0.0.1:{ALLOWED_PORT}/index.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        for frame in page.frames[1:]:
            assert frame.locator(".site-header").count() == 0, frame.url
    finally:
        server.shutdown()
        server.server_close()


def test_widgets_are_accessible(page, live_server, axe_check, north, tmp_path):
    make_idea(north, title="Neue Bänke am Markt")
    make_meeting(north, title="Stadtteilrunde Nord")
    folder = shots_folder(tmp_path)
    for language in [code for code, _name in settings.LANGUAGES]:
        prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        for name in ("beitraege", "treffen", "karte", "idee"):
            page.set_viewport_size({"width": 400, "height": 400})
            page.goto(f"{live_server.url}{prefix}/einbetten/{north.slug}/{name}/")
            axe_check(page)
            page.screenshot(path=f"{folder}/embed-{name}-{language}.png", full_page=True)
