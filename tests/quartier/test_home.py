"""The home page shows the quarter's life: newest contributions, next meetings, the latest
answers, a small map; signed in, news from the followed areas — in a fixed number of queries."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.ideas.models import Answer, IdeaKind, IdeaStatus
from participation.subscriptions.models import Subscription
from quartier.home import home_sections, register_home_section, unregister_home_section
from tests.factories import make_area, make_user, square
from tests.participation.helpers import ensure_topic, make_idea
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def fill(quarter, count):
    """`count` published ideas with an answer each and `count` meetings in `quarter`."""
    for _ in range(count):
        number = next(_numbers)
        idea = make_idea(quarter, title=f"Beitrag {number}", status=IdeaStatus.PLANNED)
        Answer.objects.create(
            idea=idea,
            text=f"Antwort {number}: ist eingeplant.",
            status_from=IdeaStatus.PUBLISHED,
            status_to=IdeaStatus.PLANNED,
            author_role="Quartiersmanagement",
        )
        make_meeting(quarter, title=f"Treffen {number}", capacity=10, days=number % 20 + 1)


@pytest.fixture
def quarters():
    ensure_topic()
    return (
        make_area("Weststadt", boundary=square(7.40, 51.40, 0.02)),
        make_area("Oststadt", boundary=square(7.44, 51.40, 0.02)),
    )


def test_home_shows_the_newest_contributions_meetings_answers_and_a_map(client, quarters):
    west, _east = quarters
    fill(west, 2)
    make_idea(west, title="Noch nicht geprüft", status=IdeaStatus.PENDING)
    make_idea(west, title="Neueste Stärke", kind=IdeaKind.STRENGTH)
    html = client.get("/").content.decode()
    assert "Neu im Quartier" in html and "Neueste Stärke" in html
    assert "Noch nicht geprüft" not in html
    assert "Nächste Treffen" in html and "Treffen 1" in html
    assert "Was daraus geworden ist" in html and "Antwort 2: ist eingeplant." in html
    assert 'id="home-map"' in html and 'data-labels="quarter"' in html
    assert 'id="home-ideas-geojson"' in html
    assert "Neues aus Ihren Gebieten" not in html  # visitors follow nothing


def test_an_empty_portal_invites_instead_of_showing_empty_boxes(client):
    html = client.get("/").content.decode()
    assert "Machen Sie den Anfang!" in html
    assert "Zurzeit sind keine Treffen geplant." in html


def test_signed_in_home_shows_news_from_followed_areas_only(client, quarters):
    west, east = quarters
    child = make_area("Am Bach", parent=west, boundary=square(7.40, 51.40, 0.01))
    fill(child, 1)
    make_idea(east, title="Aus der Oststadt")
    user = make_user("anwohnerin")
    Subscription.objects.create(user=user, area=west, confirmed_at=timezone.now())
    client.force_login(user)
    html = client.get("/").content.decode()
    news = html.split('id="home-news-heading"')[1].split("</section>")[0]
    assert "Beitrag" in news and "Treffen" in news and "Antwort des Quartiersteams" in news
    assert "Aus der Oststadt" not in news
    assert ">Weststadt</a>" in news
    # an idea appears once, with its newest news (the answer), not also as "new"
    titles = re.findall(r'href="/ideen/\d+/(?:#antworten)?">([^<]+)</a>', news)
    assert len(titles) == len(set(titles)) == 1


def test_signed_in_without_following_is_invited_to_follow(client, quarters):
    client.force_login(make_user("neu"))
    html = client.get("/").content.decode()
    assert "Folgen Sie Ihrem Quartier" in html


def _queries(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_needs_a_fixed_number_of_queries(client, settings, quarters, signed_in):
    settings.PAGE_CACHE_SECONDS = 0
    west, east = quarters
    if signed_in:
        user = make_user("folgt")
        Subscription.objects.create(user=user, area=west, confirmed_at=timezone.now())
        client.force_login(user)
    fill(west, 1)
    _queries(client)  # the first request of a process builds the area tree once
    few = _queries(client)
    fill(west, 12)
    fill(east, 12)
    if signed_in:
        Subscription.objects.create(user=user, area=east, confirmed_at=timezone.now())
    assert _queries(client) == few


def test_apps_add_home_sections_through_the_registry(client, settings, tmp_path):
    (tmp_path / "home_test.html").write_text("<section>Test-Abschnitt {{ word }}</section>")
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    settings.TEMPLATES = templates
    register_home_section(
        "test", template_name="home_test.html", context=lambda r: {"word": "da"}, order=1
    )
    register_home_section("left-out", template_name="home_test.html", context=lambda r: None)
    try:
        html = client.get("/").content.decode()
        assert html.count("Test-Abschnitt") == 1 and "Test-Abschnitt da" in html
        assert home_sections()[0].key == "test"
    finally:
        unregister_home_section("test")
        unregister_home_section("left-out")


def test_meeting_that_ended_is_not_among_the_next(client, quarters):
    west, _east = quarters
    make_meeting(west, title="Schon vorbei", days=-2)
    assert "Schon vorbei" not in client.get("/").content.decode()
