import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.ideas import services
from participation.ideas.models import Comment, IdeaStatus, Support
from participation.topics.models import Topic
from tests.factories import make_area, make_user, square

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'
LIST = reverse("participation:idea-list")
GEOJSON = reverse("participation:ideas-geojson")


def test_only_public_ideas_are_listed(client):
    north, _ = two_areas()
    make_idea(north, title="Öffentlich")
    make_idea(north, title="Geplant", status=IdeaStatus.PLANNED)
    make_idea(north, title="Wartend", status=IdeaStatus.PENDING)
    make_idea(north, title="Abgelehnt", status=IdeaStatus.REJECTED)
    make_idea(north, title="Versteckt", is_hidden=True)
    make_idea(north, title="Unbestätigt", confirmed_at=None)
    html = client.get(LIST).content.decode()
    assert "Öffentlich" in html and "Geplant" in html
    for title in ("Wartend", "Abgelehnt", "Versteckt", "Unbestätigt"):
        assert title not in html
    features = client.get(GEOJSON).json()["features"]
    assert sorted(f["properties"]["title"] for f in features) == ["Geplant", "Öffentlich"]
    hidden = make_idea(north, title="Geheim", status=IdeaStatus.REJECTED)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_filters_area_with_sub_areas_topic_kind_status_text(client):
    north, south = two_areas()
    child = make_area("Nord-West", parent=north, boundary=square(7.46, 51.51, 0.005))
    make_idea(child, title="Spielplatz im Kind")
    make_idea(south, title="Südlicher Park", kind="strength")
    topic = Topic.objects.last()
    make_idea(south, title="Ampel", topic=topic, status=IdeaStatus.UNDER_REVIEW)

    def titles(**params):
        return {i.title for i in client.get(LIST, params).context["ideas"]}

    assert titles(area=north.pk) == {"Spielplatz im Kind"}
    assert titles(kind="strength") == {"Südlicher Park"}
    assert titles(topic=topic.pk) == {"Ampel"}
    assert titles(status="under_review") == {"Ampel"}
    assert titles(q="park") == {"Südlicher Park"}
    assert titles(q="'&|!( :*") == set()
    assert titles(area="nonsense") == set()
    assert client.get(LIST, {"area": "nonsense"}).status_code == 200


def test_sorting(client):
    north, _ = two_areas()
    a = make_idea(north, title="A", support_count=5, comment_count=0)
    b = make_idea(north, title="B", support_count=0, comment_count=9)
    c = make_idea(north, title="C")
    assert [i.pk for i in client.get(LIST).context["ideas"]] == [c.pk, b.pk, a.pk]
    assert client.get(LIST, {"sort": "supported"}).context["ideas"][0].pk == a.pk
    assert client.get(LIST, {"sort": "discussed"}).context["ideas"][0].pk == b.pk


def test_pagination(client):
    north, _ = two_areas()
    for number in range(25):
        make_idea(north, title=f"Idee {number}")
    assert len(client.get(LIST).context["ideas"]) == 20
    assert len(client.get(LIST, {"page": 2}).context["ideas"]) == 5


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_geojson_and_detail_queries_are_constant(client):
    north, south = two_areas()
    idea = make_idea(north)
    commenter = make_user()
    Comment.objects.create(idea=idea, author=commenter, text="Gut")
    services.idea_answer  # noqa: B018 - answers are added below via the model
    few = (_count(client, LIST), _count(client, GEOJSON), _count(client, idea.get_absolute_url()))
    for number in range(30):
        make_idea(south if number % 2 else north, title=f"Mehr {number}")
        Comment.objects.create(idea=idea, author=make_user(), text=f"K {number}")
    many = (_count(client, LIST), _count(client, GEOJSON), _count(client, idea.get_absolute_url()))
    assert few == many


def test_geojson_has_no_personal_data_and_escapes_nothing_dangerous(client):
    north, _ = two_areas()
    make_idea(north, title=SCRIPT, author_email="secret@example.org", author_name="Geheim")
    response = client.get(GEOJSON)
    assert response["Content-Type"] == "application/json"
    feature = response.json()["features"][0]
    assert set(feature["properties"]) == {"id", "title", "kind", "topic", "status", "url", "colour"}
    body = response.content.decode()
    assert "secret@example.org" not in body and "Geheim" not in body
    assert "<script>" not in body  # JsonResponse escapes < and > as \u003c


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "a,b,c,d", "10,10,0,0", "0,0,999,1", "nan,0,1,1", "1e999,0,1,1"]
)
def test_bad_bbox_is_400(client, bbox):
    assert client.get(GEOJSON, {"bbox": bbox}).status_code == 400


def test_bbox_filters(client):
    north, south = two_areas()
    make_idea(north, title="Nord")
    make_idea(south, title="Süd")
    features = client.get(GEOJSON, {"bbox": "7.46,51.51,7.47,51.52"}).json()["features"]
    assert [f["properties"]["title"] for f in features] == ["Nord"]
    features = client.get(GEOJSON, {"kind": "weakness"}).json()["features"]
    assert features == []


def test_script_is_escaped_on_detail_and_list(client):
    north, _ = two_areas()
    user = make_user(first_name=SCRIPT)
    idea = make_idea(north, title=SCRIPT, text=SCRIPT, photo_alt=SCRIPT, author=user)
    Comment.objects.create(idea=idea, author=user, text=SCRIPT)
    for url in (LIST, idea.get_absolute_url(), reverse("participation:idea-map")):
        html = client.get(url).content.decode()
        assert SCRIPT not in html
    assert "&lt;script&gt;" in client.get(idea.get_absolute_url()).content.decode()


def test_map_page_passes_filters_to_geojson(client):
    two_areas()
    html = client.get(reverse("participation:idea-map"), {"kind": "strength"}).content.decode()
    assert 'data-geojson-url="/ideen.geojson?kind=strength"' in html


def test_comment_support_and_flag_on_detail(client, settings):
    settings.IDEA_FLAG_THRESHOLD = 2
    north, _ = two_areas()
    idea = make_idea(north)
    url = idea.get_absolute_url()
    comment_url = reverse("participation:idea-comment", kwargs={"pk": idea.pk})
    support_url = reverse("participation:idea-support", kwargs={"pk": idea.pk})
    unsupport_url = reverse("participation:idea-unsupport", kwargs={"pk": idea.pk})
    flag_url = reverse("participation:idea-flag", kwargs={"pk": idea.pk})
    assert client.post(comment_url, {"text": "Hallo"}).status_code == 403
    user = make_user()
    client.force_login(user)
    response = client.post(comment_url, {"text": ""})
    assert response.status_code == 400
    response = client.post(comment_url, {"text": "x" * 2001})
    assert "x" * 2001 in response.content.decode()
    assert client.post(comment_url, {"text": "Gute Idee"}).status_code == 302
    assert client.post(support_url, {"notify": "on"}).status_code == 302
    assert client.post(support_url).status_code == 302
    idea.refresh_from_db()
    assert (idea.comment_count, idea.support_count) == (1, 1)
    assert Support.objects.get().notify is False
    client.post(unsupport_url)
    idea.refresh_from_db()
    assert idea.support_count == 0
    client.post(flag_url, {"reason": "Beleidigend"})
    client.post(flag_url, {"reason": "Nochmal"})
    idea.refresh_from_db()
    assert not idea.is_hidden  # the same person counts once
    client.logout()
    client.post(flag_url, {"reason": "Auch ich"}, REMOTE_ADDR="10.1.1.1")
    idea.refresh_from_db()
    assert idea.is_hidden
    assert client.get(url).status_code == 404


def test_detail_json_script_location(client):
    north, _ = two_areas()
    idea = make_idea(north)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="idea-location"' in html
    data = html.split('id="idea-location" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data)["type"] == "Point"


def test_flag_a_comment_from_the_detail_page(client, settings):
    settings.IDEA_FLAG_THRESHOLD = 1
    north, _ = two_areas()
    idea = make_idea(north)
    comment = services.comment_create(idea=idea, user=make_user(), text="Gemein")
    url = idea.get_absolute_url()
    flag_url = reverse("participation:idea-flag", kwargs={"pk": idea.pk})
    assert f'id="flag-reason-{comment.pk}"' in client.get(url).content.decode()
    response = client.post(flag_url, {"comment": comment.pk, "reason": "Beleidigung"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert "Gemein" not in client.get(url).content.decode()
    response = client.post(flag_url, {"comment": 999999, "reason": "x"})
    assert response.status_code == 404
    response = client.post(flag_url, {"reason": ""})
    assert response.status_code == 400
    assert "flag-box" in response.content.decode()
