import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from participation.feedback.models import MoodAnswer
from participation.feedback.sections import mood_context
from participation.feedback.services import mood_answer_create, mood_comment_moderate
from participation.topics.models import Topic
from tests.factories import make_area, make_coordination, make_manager, make_user, square

pytestmark = pytest.mark.django_db

URL = reverse("participation:mood")


@pytest.fixture
def south():
    return make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))


def answer(client, **data):
    return client.post(URL, {"score": "4", "comment": "", "aspect": "", "point": "", **data})


def render_section(area):
    context = mood_context(area, {area.pk}, None)
    return render_to_string("participation/feedback/_area_section.html", context)


def add_answers(area, n, *, month=None, score=4):
    month = month or datetime.date.today().replace(day=1)
    for _ in range(n):
        MoodAnswer.objects.create(area=area, score=score, month=month)


def test_page_asks_the_question_with_an_accessible_fieldset(client, south):
    page = client.get(URL).content.decode()
    assert "<legend>Wie wohl fühlen Sie sich in Ihrem Quartier?</legend>" in page
    assert page.count('type="radio" name="score"') == 5


def test_visitor_answers_once_per_area_and_month(client, south):
    response = answer(client, area=south.pk, score="5")
    assert response.status_code == 302
    assert MoodAnswer.objects.get().score == 5
    again = answer(client, area=south.pk)
    assert again.status_code == 400
    assert "schon geantwortet" in again.content.decode()
    other = make_area("Nordstadt")
    assert answer(client, area=other.pk).status_code == 302
    assert MoodAnswer.objects.count() == 2


def test_visitor_cookie_cannot_be_forged(client, south):
    client.cookies["quartier_mood"] = f"{south.pk}:2099-01"
    assert answer(client, area=south.pk).status_code == 302


def test_account_answers_once_per_area_and_month_in_the_database(client, south):
    user = make_user()
    mood_answer_create(area=south, score=3, user=user)
    with pytest.raises(ValidationError, match="schon geantwortet"):
        mood_answer_create(area=south, score=4, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        MoodAnswer.objects.create(area=south, score=2, user=user)
    client.force_login(user)  # no visitor cookie: the database constraint refuses it
    response = answer(client, area=south.pk)
    assert response.status_code == 400
    assert MoodAnswer.objects.count() == 1
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    MoodAnswer.objects.create(area=south, score=2, user=user, month=last_month.replace(day=1))


def test_area_found_from_a_map_point(client, south):
    point = json.dumps({"type": "Point", "coordinates": [7.45, 51.45]})
    assert answer(client, point=point).status_code == 302
    assert MoodAnswer.objects.get().area == south


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"point": json.dumps({"type": "Point", "coordinates": [9.0, 53.0]})}, "in keinem"),
        ({"point": "kaputt"}, "ungültig"),
        ({"point": ""}, "Bitte wählen Sie Ihr Quartier"),
        ({"score": "9", "area": "PK"}, "Auswahl"),
        ({"score": "", "area": "PK"}, "einen Wert von 1 bis 5"),
        ({"area": "999999"}, "Auswahl"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_comment(client, south, data, message):
    if data.get("area") == "PK":
        data["area"] = south.pk
    response = answer(client, comment="Mein <b>Kommentar</b>", **data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Mein &lt;b&gt;Kommentar&lt;/b&gt;" in page
    assert not MoodAnswer.objects.exists()


def test_comment_is_pending_until_staff_publish_it(client, south):
    topic = Topic.objects.first()
    answer(
        client, area=south.pk, comment="<script>alert(1)</script> Zu wenig Bänke", aspect=topic.pk
    )
    stored = MoodAnswer.objects.get()
    assert stored.comment_status == MoodAnswer.CommentStatus.PENDING
    assert stored.aspect == topic
    assert "Zu wenig Bänke" not in render_section(south)
    mood_comment_moderate(answer=stored, publish=True)
    html = render_section(south)
    assert "Zu wenig Bänke" in html
    assert "<script>alert(1)" not in html


def test_privacy_threshold_four_answers_show_nothing_five_show_the_average(south, settings):
    settings.MOOD_MIN_ANSWERS = 5
    add_answers(south, 4, score=2)
    html = render_section(south)
    assert "Noch zu wenige Antworten" in html and "<table>" not in html
    add_answers(south, 1, score=5)
    context = mood_context(south, {south.pk}, None)
    (row,) = context["mood_quarters"]
    assert row["count"] == 5 and row["average"] == pytest.approx(2.6)
    assert "2,6" in render_section(south)


def test_quarters_are_counted_separately(south):
    today = datetime.date.today().replace(day=1)
    add_answers(south, 5, month=today)
    half_year_ago = (today - datetime.timedelta(days=190)).replace(day=1)
    add_answers(south, 3, month=half_year_ago)
    quarters = mood_context(south, {south.pk}, None)["mood_quarters"]
    assert [q["count"] for q in quarters] == [5]


def test_section_includes_sub_areas(south):
    sub = make_area("Am Park", parent=south)
    add_answers(south, 3)
    add_answers(sub, 2)
    assert mood_context(south, {south.pk, sub.pk}, None)["mood_quarters"][0]["count"] == 5


def test_admin_scoped_and_moderates(client, south):
    north = make_area("Nordstadt")
    mine = mood_answer_create(area=south, score=3, comment="Südstadt-Kommentar")
    mood_answer_create(area=north, score=3, comment="Nordstadt-Kommentar")
    client.force_login(make_manager(south))
    url = reverse("admin:participation_moodanswer_changelist")
    page = client.get(url).content.decode()
    assert "Südstadt-Kommentar" in page and "Nordstadt-Kommentar" not in page
    client.post(url, {"action": "publish_comments", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.comment_status == MoodAnswer.CommentStatus.PUBLISHED
    client.force_login(make_coordination())
    page = client.get(url).content.decode()
    assert "Nordstadt-Kommentar" in page


def test_honeypot_and_rate_limit(client, south):
    assert answer(client, area=south.pk, website="spam").status_code == 400
    areas = [make_area(f"Gebiet X{n}") for n in range(11)]
    for area in areas[:10]:
        assert answer(client, area=area.pk).status_code == 302
    response = answer(client, area=areas[10].pk)
    assert "sehr oft" in response.content.decode()
    assert MoodAnswer.objects.count() == 10
