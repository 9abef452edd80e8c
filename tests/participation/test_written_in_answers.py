"""Survey free texts and mood comments record the language they were written in (the form's
choice, the page's language when left out) and are marked with it where they are shown: the
results, a person's own page, the admin's lists."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from participation.feedback.models import MoodAnswer
from participation.feedback.services import mood_answer_create, mood_comment_moderate
from participation.surveys.models import SurveyAnswer, SurveyChoice, SurveyResponse
from participation.surveys.services import answer_text_moderate, response_create
from tests.factories import make_area, make_coordination, square

from .test_feedback import render_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def south():
    return make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))


def mood_url(language="de"):
    with translation.override(language):
        return reverse("participation:mood")


def post_mood(client, south, *, language_url="de", **data):
    return client.post(
        mood_url(language_url),
        {"score": "4", "aspect": "", "point": "", "area": south.pk, **data},
    )


def test_a_mood_comment_keeps_the_language_chosen_in_the_form(client, south):
    page = client.get(mood_url()).content.decode()
    assert 'name="language"' in page
    post_mood(client, south, comment="الحديقة جميلة", language="ar")
    stored = MoodAnswer.objects.get()
    assert stored.language == "ar"
    mood_comment_moderate(answer=stored, publish=True)
    assert '<blockquote lang="ar" dir="auto">الحديقة جميلة' in render_section(south)


def test_a_mood_comment_without_a_choice_is_in_the_pages_language(south):
    post_mood(Client(), south, language_url="tr", comment="Park güzel")
    assert MoodAnswer.objects.get().language == "tr"
    assert MoodAnswer._meta.get_field("language").default == "de"


def test_the_admin_marks_and_filters_mood_comments_by_language(client, south):
    mood_answer_create(area=south, score=3, comment="Сквер чудовий", language="uk")
    mood_answer_create(area=south, score=3, comment="Schöner Park", language="de")
    client.force_login(make_coordination())
    url = reverse("admin:participation_moodanswer_changelist")
    page = client.get(url).content.decode()
    assert '<span lang="uk" dir="auto">Сквер чудовий</span>' in page
    filtered = client.get(url, {"language": "uk"}).content.decode()
    assert "Сквер чудовий" in filtered and "Schöner Park" not in filtered


def _question(survey, position):
    return survey.questions.get(position=position)


def test_a_survey_text_keeps_the_language_chosen_in_the_form(client, survey, survey_areas):
    yes = SurveyChoice.objects.get(question__survey=survey, text="Ja")
    page = client.get(reverse("participation:survey-detail", args=[survey.pk])).content.decode()
    assert 'name="language"' in page
    client.post(
        reverse("participation:survey-detail", args=[survey.pk]),
        {
            "area": survey_areas[0].pk,
            "website": "",
            f"frage_{_question(survey, 1).pk}": yes.pk,
            f"frage_{_question(survey, 3).pk}": "На вулиці Ринг",
            "language": "uk",
        },
    )
    [text] = SurveyAnswer.objects.exclude(text="")
    assert (text.text, text.language) == ("На вулиці Ринг", "uk")
    # the choice answers carry no words of their own: they keep the default
    assert SurveyAnswer.objects.filter(text="").count() == 1


def test_a_survey_without_free_text_asks_no_language(client, survey):
    _question(survey, 3).delete()
    page = client.get(reverse("participation:survey-detail", args=[survey.pk])).content.decode()
    assert 'name="language"' not in page


def test_a_survey_text_without_a_choice_is_in_the_pages_language(survey, survey_areas):
    yes = SurveyChoice.objects.get(question__survey=survey, text="Ja")
    with translation.override("en"):
        response = response_create(
            survey=survey,
            area=survey_areas[0],
            answers=[(_question(survey, 1), yes), (_question(survey, 3), "On the ring road")],
        )
    assert response.answers.get(question=_question(survey, 3)).language == "en"


def test_results_and_admin_mark_each_text_with_its_language(client, survey, survey_areas):
    choice = SurveyChoice.objects.get(question__survey=survey, text="Ja")
    for _ in range(6):
        response = SurveyResponse.objects.create(survey=survey, area=survey_areas[0])
        SurveyAnswer.objects.create(response=response, question=choice.question, choice=choice)
    turkish = SurveyAnswer.objects.create(
        response=response,
        question=_question(survey, 3),
        text="Halkalı yolda",
        text_status="pending",
        language="tr",
    )
    answer_text_moderate(answer=turkish, publish=True)
    page = client.get(reverse("participation:survey-results", args=[survey.pk])).content.decode()
    assert '<li lang="tr" dir="auto">Halkalı yolda</li>' in page
    client.force_login(make_coordination())
    admin_page = client.get(
        reverse("admin:participation_surveyanswer_changelist"), {"language": "tr"}
    ).content.decode()
    assert '<span lang="tr" dir="auto">Halkalı yolda</span>' in admin_page
