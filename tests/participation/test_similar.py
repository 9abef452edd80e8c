"""Similar ideas while submitting (word overlap on SQLite, pg_trgm on PostgreSQL) and the
step without JavaScript that keeps everything typed."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.ideas.models import Idea, IdeaStatus
from participation.ideas.similar import jaccard, normalise_words, similar_ideas
from participation.topics.models import Topic
from tests.factories import make_area, make_user, square

from .helpers import make_idea, point, two_areas

pytestmark = pytest.mark.django_db
URL = reverse("participation:idea-create")
SIMILAR_URL = reverse("participation:idea-similar")
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm similarity needs PostgreSQL"
)


def form_data(**extra):
    data = {
        "kind": "weakness",
        "title": "Mehr Bänke am Spielplatz",
        "text": "Eltern können nirgends sitzen.",
        "topic": Topic.objects.first().pk,
        "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
        "author_name": "Erika Muster",
        "author_email": "erika@example.org",
        "privacy": "on",
        "website": "",
    }
    data.update(extra)
    return data


def test_normalised_words_drop_stop_words_and_endings():
    assert normalise_words("Mehr Bänke am Spielplatz!") == {"bank", "spielplatz"}
    assert normalise_words("Die Spielplätze") == {"spielplatz"}
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), {"a"}) == 0


def test_similar_in_same_area_and_near_point_only_public():
    north, south = two_areas()
    match = make_idea(north, title="Bänke am Spielplatz fehlen")
    make_idea(north, title="Bänke am Spielplatz", status=IdeaStatus.PENDING)
    make_idea(north, title="Bänke am Spielplatz", is_hidden=True)
    make_idea(north, title="Bänke am Spielplatz", status=IdeaStatus.REJECTED)
    make_idea(south, title="Bänke am Spielplatz fehlen auch hier")  # other area, far away
    make_idea(north, title="Radweg an der Hauptstraße", text="Der Radweg endet plötzlich.")
    found = similar_ideas(title="Mehr Bänke am Spielplatz", area=north)
    assert found == [match]
    found = similar_ideas(title="Mehr Bänke am Spielplatz", location=point(7.465, 51.515))
    assert found == [match]


def test_sub_areas_count_and_nearby_points_across_the_border():
    north, _south = two_areas()
    child = make_area("Nordviertel", boundary=square(7.46, 51.51, 0.005), parent=north)
    in_child = make_idea(child, title="Spielplatz braucht Bänke")
    assert similar_ideas(title="Bänke für den Spielplatz", area=north) == [in_child]
    # an idea just across the border of another quarter (about 100 m away) is near
    east = make_area("Oststadt", boundary=square(7.47, 51.51))
    across = make_idea(east, title="Bänke Spielplatz", location=point(7.4705, 51.515))
    found = similar_ideas(title="Bänke für den Spielplatz", location=point(7.4695, 51.515))
    assert across in found
    # but not from 1.5 km away
    assert across not in similar_ideas(
        title="Bänke für den Spielplatz", location=point(7.45, 51.51)
    )


def test_merged_duplicates_are_not_offered():
    north, _south = two_areas()
    original = make_idea(north, title="Bänke am Spielplatz")
    make_idea(north, title="Bänke am Spielplatz bitte", duplicate_of=original)
    assert similar_ideas(title="Bänke am Spielplatz", area=north) == [original]


def test_short_or_empty_titles_find_nothing():
    north, _south = two_areas()
    make_idea(north, title="Bänke")
    assert similar_ideas(title="", area=north) == []
    assert similar_ideas(title="Bä", area=north) == []
    assert similar_ideas(title="Bänke am Platz", area=None, location=None) == []


def test_fixed_number_of_queries():
    north, _south = two_areas()
    make_idea(north, title="Bänke am Spielplatz")
    similar_ideas(title="warm up the point lookup", location=point(7.465, 51.515))
    with CaptureQueriesContext(connection) as few:
        similar_ideas(title="Bänke am Spielplatz", location=point(7.465, 51.515))
    for number in range(30):
        make_idea(north, title=f"Bänke am Spielplatz {number}")
    with CaptureQueriesContext(connection) as many:
        found = similar_ideas(title="Bänke am Spielplatz", location=point(7.465, 51.515))
    assert len(found) == 5
    assert len(few.captured_queries) == len(many.captured_queries)


@on_postgres
def test_trigram_similarity_on_postgres():
    north, _south = two_areas()
    match = make_idea(north, title="Spielplatzbänke fehlen")
    make_idea(north, title="Radweg an der Hauptstraße", text="Der Radweg endet plötzlich.")
    found = similar_ideas(title="Spielplatzbank", area=north)
    assert found == [match]


@on_postgres
def test_bounded_work_on_postgres_finds_old_titles_and_new_texts(monkeypatch):
    """Texts are compared only for the newest few of the place; titles for all of them."""
    from participation.ideas import similar

    monkeypatch.setattr(similar, "TEXT_CANDIDATES", 3)
    north, _south = two_areas()
    old_title = make_idea(north, title="Zebrastreifen vor der Grundschule")
    old_text = make_idea(
        north, title="Etwas anderes", text="Ein Zebrastreifen vor der Grundschule fehlt sehr."
    )
    for number in range(3):
        make_idea(north, title=f"Radweg Nummer {number}", text="Der Radweg endet plötzlich.")
    new_text = make_idea(
        north, title="Sicherer Schulweg", text="Ein Zebrastreifen vor der Grundschule fehlt sehr."
    )
    found = similar_ideas(
        title="Zebrastreifen Grundschule",
        text="Ein Zebrastreifen vor der Grundschule fehlt sehr.",
        area=north,
    )
    assert old_title in found and new_text in found
    assert old_text not in found  # its text is older than the newest three


def test_fragment_endpoint_lists_look_alikes_and_escapes(client):
    north, _south = two_areas()
    make_idea(north, title='Bänke am Spielplatz <script>alert("x")</script>')
    response = client.get(
        SIMILAR_URL,
        {
            "title": "Bänke am Spielplatz",
            "location": '{"type":"Point","coordinates":[7.465,51.515]}',
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ähnliche Beiträge" in body
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "Diesen unterstützen statt neu einreichen" in body
    # bad input never breaks it
    for params in (
        {"title": "x" * 10000, "location": "{nonsense", "area": "abc"},
        {"title": "Bänke", "area": "999999"},
        {},
    ):
        assert client.get(SIMILAR_URL, params).status_code == 200
    assert client.get(SIMILAR_URL, {"title": "Bänke am Spielplatz", "area": north.pk}).content


def test_no_js_step_keeps_everything_typed_then_submits(client):
    north, _south = two_areas()
    make_idea(north, title="Bänke am Spielplatz fehlen")
    response = client.post(URL, form_data())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ähnliche Beiträge" in body
    assert "Trotzdem neu einreichen" in body
    assert 'value="Mehr Bänke am Spielplatz"' in body
    assert "Eltern können nirgends sitzen." in body
    assert 'value="Erika Muster"' in body
    assert 'value="erika@example.org"' in body
    assert "7.465" in body  # the chosen point stays in the hidden input
    assert Idea.objects.count() == 1
    response = client.post(URL, form_data(confirm_new="on"))
    assert response.status_code == 302
    assert Idea.objects.count() == 2


def test_no_step_without_look_alikes(client):
    two_areas()
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert Idea.objects.get().title == "Mehr Bänke am Spielplatz"


def test_accounts_get_the_step_too(client):
    north, _south = two_areas()
    make_idea(north, title="Bänke am Spielplatz")
    client.force_login(make_user())
    response = client.post(URL, form_data(author_name="", author_email="", privacy=""))
    assert response.status_code == 200
    assert "Trotzdem neu einreichen" in response.content.decode()


def test_a_resident_sending_the_same_idea_again_is_told_it_is_already_there(client):
    """The look-alikes include the submitter's own contribution still waiting for moderation
    (it is not public, so the other look-alikes never show it)."""
    two_areas()
    client.force_login(make_user())
    data = form_data(author_name="", author_email="", privacy="")
    assert client.post(URL, data).status_code == 302
    mine = Idea.objects.get()
    assert mine.status == IdeaStatus.PENDING

    response = client.post(URL, {**data, "title": "Bänke am Spielplatz, bitte"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sie haben diesen Beitrag schon eingereicht" in body
    assert "wird vom Quartiersteam geprüft" in body
    assert f'href="{mine.get_absolute_url()}"' not in body  # not public: no link
    assert Idea.objects.count() == 1
    assert client.post(URL, {**data, "confirm_new": "on"}).status_code == 302
    assert Idea.objects.count() == 2


def test_a_visitor_is_told_in_the_same_browser_but_nobody_else_sees_it(client):
    """A visitor's own ideas are known by this browser's session, never by the e-mail address
    (anyone could type someone else's address and read their unpublished idea)."""
    two_areas()
    assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sie haben diesen Beitrag schon eingereicht" in body
    assert "wartet auf Ihre Bestätigung" in body

    from django.test import Client

    stranger = Client().post(URL, form_data())  # same address, another browser
    assert stranger.status_code == 302
    assert Idea.objects.count() == 2


def test_own_pending_ideas_of_others_or_published_ones_do_not_count(client):
    north, _south = two_areas()
    someone = make_user()
    make_idea(north, status=IdeaStatus.PENDING, author=someone, title="Mehr Bänke am Spielplatz")
    client.force_login(make_user())
    response = client.post(URL, form_data(author_name="", author_email="", privacy=""))
    assert response.status_code == 302


@on_postgres
def test_nearest_titles_come_first_however_many_titles_share_their_words(monkeypatch):
    """At most TITLE_MATCHES titles of each part of the place are scored, the nearest ones:
    an old idea with the typed title is found among many newer ones with the same words."""
    from participation.ideas import similar

    monkeypatch.setattr(similar, "TITLE_MATCHES", 2)
    north, _south = two_areas()
    original = make_idea(north, title="Zebrastreifen vor der Grundschule")
    for number in range(6):
        make_idea(north, title=f"Grundschule Zebrastreifen fehlt {number}")
    found = similar_ideas(title="Zebrastreifen vor der Grundschule", area=north)
    assert found[0] == original
    assert len(found) == 2
    found = similar_ideas(title="Zebrastreifen vor der Grundschule", location=point(7.465, 51.515))
    assert found[0] == original


@on_postgres
def test_title_indexes_answer_in_title_order():
    """The GiST trigram indexes return titles nearest first and stop after the LIMIT; the
    GIN index that had to collect every matching title first is gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('idea_listed_area_title_knn', 'idea_listed_point_title_knn', "
            "'idea_listed_area_title_trgm')"
        )
        definitions = dict(cursor.fetchall())
    assert (
        "gist (area_id, title gist_trgm_ops (siglen='256'))"
        in (definitions["idea_listed_area_title_knn"])
    )
    assert (
        "gist (point(lng, lat), title gist_trgm_ops (siglen='256'))"
        in (definitions["idea_listed_point_title_knn"])
    )
    assert "idea_listed_area_title_trgm" not in definitions


def test_the_list_of_look_alikes_reads_no_row_per_idea(client):
    """What the list shows (title, kind, state, supports, the area's name) comes with the
    ranking: a fixed number of queries for one look-alike or five."""
    north, _south = two_areas()
    params = {"title": "Bänke am Spielplatz", "location": json.dumps(point(7.465, 51.515))}
    make_idea(north, title="Bänke am Spielplatz")
    client.get(SIMILAR_URL, params)
    with CaptureQueriesContext(connection) as one:
        response = client.get(SIMILAR_URL, params)
    assert response.content.decode().count("<li>") == 1
    for number in range(6):
        make_idea(north, title=f"Bänke am Spielplatz {number}", support_count=number)
    with CaptureQueriesContext(connection) as five:
        response = client.get(SIMILAR_URL, params)
    page = response.content.decode()
    assert page.count("<li>") == 5
    assert "Nordstadt" in page and "Idee" in page
    assert len(five.captured_queries) == len(one.captured_queries)
