"""Atom feeds for the portal and per area: they parse, hold only public content, no personal
data, and need a fixed number of queries."""

from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.ideas.models import Answer, IdeaStatus
from tests.factories import make_area, make_user, square

from .helpers import make_idea, two_areas
from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
PORTAL = reverse("participation:feed")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def entries(root):
    return root.findall(f"{ATOM}entry")


@pytest.fixture
def content():
    north, south = two_areas()
    child = make_area("Nordviertel", boundary=square(7.46, 51.51, 0.005), parent=north)
    author = make_user("erika", first_name="Erika", last_name="Geheim", email="erika@secret.test")
    public = make_idea(
        north, title="Öffentliche Idee", author=author, author_email="", author_name=""
    )
    in_child = make_idea(child, title="Idee im Sozialraum", author_name="Hans Privat")
    make_idea(north, title="Wartende Idee", status=IdeaStatus.PENDING)
    make_idea(north, title="Abgelehnte Idee", status=IdeaStatus.REJECTED)
    hidden = make_idea(north, title="Versteckte Idee", is_hidden=True)
    make_idea(north, title="Unbestätigte Idee", confirmed_at=None)
    make_idea(south, title="Idee im Süden")
    Answer.objects.create(
        idea=public,
        text="Wir prüfen das.",
        status_from="published",
        status_to="under_review",
        author_role="Quartiersmanagement",
    )
    Answer.objects.create(
        idea=hidden,
        text="Antwort auf Verstecktes",
        status_from="published",
        status_to="published",
        author_role="Quartiersmanagement",
    )
    make_meeting(north, title="Stadtteilgespräch Nord")
    make_meeting(south, title="Treffen im Süden")
    return north, south, public, in_child


def test_portal_feed_parses_and_holds_only_public_content(client, content):
    root = parse(client.get(PORTAL))
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated") is not None
    titles = [entry.find(f"{ATOM}title").text for entry in entries(root)]
    assert any("Öffentliche Idee" in title for title in titles)
    assert any("Idee im Süden" in title for title in titles)
    assert any("Stadtteilgespräch Nord" in title for title in titles)
    assert any(title.startswith("Antwort zu „Öffentliche Idee“") for title in titles)
    body = client.get(PORTAL).content.decode()
    for secret in ("Wartende", "Abgelehnte", "Versteckte", "Unbestätigte", "Verstecktes"):
        assert secret not in body
    for personal in ("Erika", "Geheim", "erika@", "Hans Privat", "secret.test", "example.org"):
        assert personal not in body
    for entry in entries(root):
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}id").text


def test_area_feed_includes_sub_areas_only(client, content):
    north, _south, _public, _in_child = content
    root = parse(client.get(reverse("participation:area-feed", kwargs={"slug": north.slug})))
    titles = " ".join(entry.find(f"{ATOM}title").text for entry in entries(root))
    assert "Öffentliche Idee" in titles
    assert "Idee im Sozialraum" in titles
    assert "Stadtteilgespräch Nord" in titles
    assert "Süden" not in titles
    assert client.get(reverse("participation:area-feed", kwargs={"slug": "nix"})).status_code == 404


def test_newest_first_and_at_most_fifty(client, content):
    north = content[0]
    for number in range(60):
        make_idea(north, title=f"Viele {number}")
    root = parse(client.get(PORTAL))
    updated = [entry.find(f"{ATOM}updated").text for entry in entries(root)]
    assert len(updated) == 50
    assert updated == sorted(updated, reverse=True)


def test_fixed_number_of_queries(client, content):
    north = content[0]
    url = reverse("participation:area-feed", kwargs={"slug": north.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
        client.get(PORTAL)
    for number in range(20):
        idea = make_idea(north, title=f"Mehr {number}")
        Answer.objects.create(
            idea=idea,
            text="ok",
            status_from="published",
            status_to="published",
            author_role="Quartiersmanagement",
        )
        make_meeting(north)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
        client.get(PORTAL)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_alternate_links_in_head(client, content):
    north = content[0]
    home = client.get(reverse("home")).content.decode()
    assert (
        f'type="application/atom+xml" title="Neuigkeiten aus dem ganzen Portal" href="{PORTAL}"'
        in home
    )
    area_page = client.get(north.get_absolute_url()).content.decode()
    head = area_page.split("</head>")[0]
    assert reverse("participation:area-feed", kwargs={"slug": north.slug}) in head
    assert 'rel="alternate" type="application/atom+xml"' in head
