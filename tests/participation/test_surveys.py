import datetime

import pytest
from django.urls import reverse

from participation.surveys.models import (
    SurveyAnswer,
    SurveyChoice,
    SurveyResponse,
)
from participation.surveys.selectors import shown_groups, survey_results
from participation.surveys.services import answer_text_moderate
from tests.factories import make_area, make_coordination, make_manager, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def areas(survey_areas):
    return survey_areas


def q(survey, position):
    return survey.questions.get(position=position)


def post(client, survey, area, **answers):
    data = {"area": area.pk, "website": ""}
    for position, value in answers.items():
        data[f"frage_{q(survey, int(position[1:])).pk}"] = value
    return client.post(reverse("participation:survey-detail", args=[survey.pk]), data)


def add_responses(survey, area, n, *, choice_text="Ja"):
    choice = SurveyChoice.objects.get(question__survey=survey, text=choice_text)
    for _ in range(n):
        response = SurveyResponse.objects.create(survey=survey, area=area)
        SurveyAnswer.objects.create(response=response, question=choice.question, choice=choice)


def test_list_and_questionnaire_render(client, survey):
    page = client.get(reverse("participation:survey-list")).content.decode()
    assert "Wie lebt es sich hier?" in page
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "<legend>Fahren Sie Rad? " in page
    assert "Nur beantworten, wenn Sie vorher „Ja“ gewählt haben." in page
    assert "leaflet.draw.js" in page


def test_visitor_answers_once(client, survey, areas):
    south = areas[0]
    yes = SurveyChoice.objects.get(text="Ja")
    response = post(client, survey, south, q1=yes.pk, q2="4", q3="Am Ring")
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = SurveyResponse.objects.get()
    assert stored.area == south and stored.user is None
    text = SurveyAnswer.objects.get(question=q(survey, 3))
    assert text.text_status == SurveyAnswer.TextStatus.PENDING
    again = post(client, survey, south, q1=yes.pk)
    assert again.status_code == 400
    assert "Sie haben an dieser Umfrage teilgenommen" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_account_answers_once_even_from_another_browser(client, survey, areas):
    user = make_user("rad@example.org")
    client.force_login(user)
    yes = SurveyChoice.objects.get(text="Ja")
    assert post(client, survey, areas[0], q1=yes.pk).status_code == 302
    client.cookies.clear()
    client.force_login(user)
    assert post(client, survey, areas[0], q1=yes.pk).status_code == 400
    assert SurveyResponse.objects.filter(user=user).count() == 1


def test_required_question_and_condition(client, survey, areas):
    response = post(client, survey, areas[0], q2="3")
    assert response.status_code == 400
    assert "Bitte beantworten Sie diese Frage." in response.content.decode()
    no = SurveyChoice.objects.get(text="Nein")
    assert post(client, survey, areas[0], q1=no.pk, q3="nicht gefragt").status_code == 302
    assert not SurveyAnswer.objects.filter(question=q(survey, 3)).exists()


@pytest.mark.parametrize(
    "drawing, message",
    [
        (
            '{"type":"Polygon","coordinates":[[[7.4,51.4],[7.42,51.42],[7.42,51.4],[7.4,51.42],[7.4,51.4]]]}',
            "",
        ),
        ('{"type":"Polygon","coordinates":[[[0,40],[20,40],[20,60],[0,60],[0,40]]]}', "zu groß"),
        ("<script>alert(1)</script>", ""),
        ('{"type":"Point","coordinates":[7.4,51.4]}', ""),
    ],
)
def test_bad_drawings_get_a_form_error(client, survey, areas, drawing, message):
    yes = SurveyChoice.objects.get(text="Ja")
    response = post(client, survey, areas[0], q1=yes.pk, q4=drawing)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_good_drawing_is_stored(client, survey, areas):
    yes = SurveyChoice.objects.get(text="Ja")
    drawing = (
        '{"type":"Polygon","coordinates":[[[7.40,51.40],[7.41,51.40],[7.41,51.41],'
        "[7.40,51.41],[7.40,51.40]]]}"
    )
    assert post(client, survey, areas[0], q1=yes.pk, q4=drawing).status_code == 302
    assert SurveyAnswer.objects.get(question=q(survey, 4)).geometry["type"] == "Polygon"


def test_hostile_text_gets_a_form_error(client, survey, areas):
    yes = SurveyChoice.objects.get(text="Ja")
    response = post(client, survey, areas[0], q1=yes.pk, q3="a\x00b" + "x" * 10)
    assert response.status_code == 400
    response = post(client, survey, areas[0], q1=yes.pk, q3="x" * 5000)
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_finished_survey_takes_no_answers(client, survey, areas):
    survey.ends_on = TODAY - datetime.timedelta(days=1)
    survey.save()
    yes = SurveyChoice.objects.get(text="Ja")
    response = post(client, survey, areas[0], q1=yes.pk)
    assert response.status_code == 302
    assert not SurveyResponse.objects.exists()


def test_shown_groups_never_leaves_a_small_group_derivable():
    assert shown_groups({"a": 4}, minimum=5) == set()
    assert shown_groups({"a": 10, "b": 4}, minimum=5) == set()  # all − a would be b
    assert shown_groups({"a": 10, "b": 6, "c": 4}, minimum=5) == {"a"}
    assert shown_groups({"a": 10, "b": 3, "c": 3}, minimum=5) == {"a"}
    assert shown_groups({"a": 10, "b": 7, "c": 0}, minimum=5) == {"a", "b"}
    for counts in [{"a": 9, "b": 4, "c": 12, "d": 1}, {"a": 5, "b": 5, "c": 2}]:
        shown = shown_groups(counts, minimum=5)
        hidden = sum(count for key, count in counts.items() if key not in shown)
        assert hidden == 0 or hidden >= 5
        assert all(counts[key] >= 5 for key in shown)


def test_group_of_four_is_never_shown(client, survey, areas):
    south, north, centre = areas
    add_responses(survey, south, 4)
    url = reverse("participation:survey-results", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "Zu wenige Antworten" in page and "Fahren Sie Rad?</h2>" not in page
    add_responses(survey, north, 10)
    page = client.get(url).content.decode()
    assert "14 Antworten" in page
    # Südstadt alone (4) is held back, and with it Nordstadt: "all minus Nordstadt" would be it.
    assert f'value="{south.slug}"' not in page and f'value="{north.slug}"' not in page
    assert client.get(url, {"gebiet": south.slug}).content.decode().count("Zu wenige") == 1
    assert "Fahren Sie Rad?</h2>" not in client.get(url, {"gebiet": north.slug}).content.decode()
    add_responses(survey, centre, 6)
    page = client.get(url, {"gebiet": north.slug}).content.decode()
    assert "10 Antworten" in page  # Südstadt + Innenstadt (10) stays hidden as one group
    centre_page = client.get(url, {"gebiet": centre.slug}).content.decode()
    assert "Zu wenige Antworten" in centre_page


def test_results_show_counts_chart_and_published_texts_only(client, survey, areas):
    add_responses(survey, areas[0], 6)
    response = SurveyResponse.objects.first()
    hidden = SurveyAnswer.objects.create(
        response=response, question=q(survey, 3), text="Noch geheim", text_status="pending"
    )
    shown = SurveyAnswer.objects.create(
        response=response, question=q(survey, 3), text="Am Ring", text_status="pending"
    )
    answer_text_moderate(answer=shown, publish=True, by=make_coordination())
    url = reverse("participation:survey-results", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "Am Ring" in page and "Noch geheim" not in page
    assert '<svg class="survey-chart"' in page and "100 %" in page
    hidden.refresh_from_db()
    assert hidden.text_status == "pending"


def test_results_page_queries_do_not_grow(client, survey, areas, django_assert_max_num_queries):
    add_responses(survey, areas[0], 6)
    url = reverse("participation:survey-results", args=[survey.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    add_responses(survey, areas[1], 30)
    with django_assert_max_num_queries(14):
        client.get(url)


def test_export_for_staff_only_and_without_personal_data(client, survey, areas):
    add_responses(survey, areas[0], 6)
    url = reverse("participation:survey-export-csv", args=[survey.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user("a@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(make_coordination())
    csv_text = client.get(url).content.decode("utf-8-sig")
    assert "Fahren Sie Rad?;Ja;6;100" in csv_text
    xlsx = client.get(reverse("participation:survey-export-xlsx", args=[survey.pk]))
    assert xlsx.content[:2] == b"PK"
    client.force_login(make_manager(make_area("Anderswo")))
    assert client.get(url).status_code == 404


def test_result_selector_for_a_filtered_group(survey, areas):
    add_responses(survey, areas[0], 5)
    add_responses(survey, areas[1], 5, choice_text="Nein")
    results = survey_results(survey, area=areas[1])
    assert results.shown and results.group_count == 5
    assert results.questions[0].rows == [("Ja", 0), ("Nein", 5)]


def test_visitors_are_limited_per_network(client, settings, survey, areas):
    settings.RATELIMIT_ENABLED = True
    settings.SURVEY_ANSWERS_PER_NETWORK = 2
    yes = SurveyChoice.objects.get(text="Ja")
    for _ in range(2):
        client.cookies.clear()
        assert post(client, survey, areas[0], q1=yes.pk).status_code == 302
    client.cookies.clear()
    response = post(client, survey, areas[0], q1=yes.pk)
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 2
