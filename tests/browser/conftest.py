"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

Without a Chromium they skip with a reason; under CI (CI set) a missing browser is a failure.
Tiles and every other request leaving the live server are blocked and recorded, so a test can
assert that no page talks to another origin.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    shutil.which("chromium") or "",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path():
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _missing(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        _missing("no Chromium found (install Debian's 'chromium' package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; requests to any origin but the live server are aborted and
    listed in `page.foreign_requests`."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1200, "height": 900})
    own = urlsplit(live_server.url).netloc
    foreign = []

    def guard(route):
        if urlsplit(route.request.url).netloc in {own, ""}:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.foreign_requests = foreign
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on a page and fail with the violations listed."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A click that follows a link returns before the next page is there: axe may judge the
        # blank document in between (no main landmark, no heading) or lose its context when
        # the next page arrives. Such a run is repeated once the next page has loaded; a page
        # that really lacks a main landmark or heading fails all the same.
        for attempt in range(5):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page)
            except PlaywrightError as error:
                if "context was destroyed" not in str(error) or attempt == 4:
                    raise
                page.wait_for_timeout(200)
                continue
            violations = results.response.get("violations", [])
            whole_page = {"landmark-one-main", "page-has-heading-one"}
            if attempt < 4 and any(v["id"] in whole_page for v in violations):
                page.wait_for_timeout(200)
                continue
            break
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in violations
        ]
        assert not violations, "axe found accessibility violations:\n" + "\n".join(summary)

    return check


@pytest.fixture(autouse=True)
def _data_from_migrations(request):
    """Transactional tests flush the tables, and with them what data migrations created
    (groups, topics, legal pages); put the groups and topics back for every browser test."""
    if "live_server" not in request.fixturenames and "page" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    from participation.migrations import _default_topics_loader as topics

    for name in ["Quartierskoordination", "Quartiersmanagement", "Partnerkontakt"]:
        Group.objects.get_or_create(name=name)
    topics.create(django_apps)
