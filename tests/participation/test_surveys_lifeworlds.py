"""Lebenswelten: the voluntary self-description beside the participation forms, stored apart
from identity, shown only aggregated (≥ SURVEY_MIN_ANSWERS) beside the population figures."""

import pytest
from django.urls import reverse

from participation.surveys.lifeworlds import lifeworld_record, reach_rows
from participation.surveys.models import (
    LifeworldAnswer,
    LifeworldChoice,
    LifeworldQuestion,
    PopulationFigure,
    SurveyChoice,
)
from tests.factories import make_area, make_coordination, square
from tests.participation.helpers import ensure_topic

pytestmark = pytest.mark.django_db


def age(text):
    return LifeworldChoice.objects.get(question__text="Wie alt sind Sie?", text=text)


def test_default_questions_are_there_and_set_by_staff():
    texts = list(LifeworldQuestion.objects.values_list("text", flat=True))
    assert texts == [
        "Wie alt sind Sie?",
        "Wie leben Sie?",
        "Welche Sprachen werden bei Ihnen zu Hause gesprochen?",
        "Wie lange wohnen Sie schon im Quartier?",
    ]
    assert LifeworldQuestion.objects.get(text__startswith="Welche Sprachen").multiple


def test_the_answers_carry_no_identity():
    fields = {field.name for field in LifeworldAnswer._meta.get_fields()}
    assert fields == {"id", "area", "month", "choice"}


def test_the_survey_form_asks_them_voluntarily_and_stores_them_apart(client, survey):
    south = survey.areas.get(name="Südstadt")
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "Freiwillig: ein paar Angaben zu Ihnen" in page
    question = LifeworldQuestion.objects.get(text="Wie alt sind Sie?")
    languages = LifeworldQuestion.objects.get(text__startswith="Welche Sprachen")
    german, turkish = languages.choices.all()[:2]
    yes = SurveyChoice.objects.get(text="Ja")
    data = {
        "area": south.pk,
        "website": "",
        f"frage_{survey.questions.get(position=1).pk}": yes.pk,
        f"lebenswelt_{question.pk}": age("30 bis 44").pk,
        f"lebenswelt_{languages.pk}": [german.pk, turkish.pk],
    }
    response = client.post(survey.get_absolute_url(), data)
    assert response.status_code == 302
    stored = LifeworldAnswer.objects.order_by("choice__position")
    assert {(a.area, a.choice.text) for a in stored} == {
        (south, "30 bis 44"),
        (south, "Deutsch"),
        (south, "Türkisch"),
    }
    assert {a.month.day for a in stored} == {1}


def test_without_self_description_nothing_is_stored_and_bad_choices_are_refused(client, survey):
    south = survey.areas.get(name="Südstadt")
    yes = SurveyChoice.objects.get(text="Ja")
    question = LifeworldQuestion.objects.get(text="Wie alt sind Sie?")
    base = {"area": south.pk, "website": "", f"frage_{survey.questions.get(position=1).pk}": yes.pk}
    response = client.post(survey.get_absolute_url(), {**base, f"lebenswelt_{question.pk}": "x"})
    assert response.status_code == 400 and not LifeworldAnswer.objects.exists()
    assert client.post(survey.get_absolute_url(), base).status_code == 302
    assert not LifeworldAnswer.objects.exists()


def test_mood_and_idea_forms_ask_them_too(client):
    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    ensure_topic()
    for url in (reverse("participation:mood"), reverse("participation:idea-create")):
        assert "Freiwillig: ein paar Angaben zu Ihnen" in client.get(url).content.decode()
    question = LifeworldQuestion.objects.get(text="Wie alt sind Sie?")
    response = client.post(
        reverse("participation:mood"),
        {
            "score": "4",
            "area": south.pk,
            "comment": "",
            "aspect": "",
            "point": "",
            f"lebenswelt_{question.pk}": age("65 bis 79").pk,
        },
    )
    assert response.status_code == 302
    assert LifeworldAnswer.objects.get().choice.text == "65 bis 79"


def record(area, text, n):
    for _ in range(n):
        lifeworld_record(area=area, choices=[age(text)])


def ages(reach):
    for question, rows, held in reach:
        if question.text == "Wie alt sind Sie?":
            return {
                text: (count, percent, population) for text, count, percent, population in rows
            }, held
    return {}, 0


def test_reach_shows_groups_of_enough_answers_beside_the_population():
    south = make_area("Südstadt")
    PopulationFigure.objects.create(area=south, group="30 bis 44", count=3000)
    PopulationFigure.objects.create(area=south, group="65 bis 79", count=1000)
    record(south, "30 bis 44", 10)
    record(south, "65 bis 79", 4)
    rows, held = ages(reach_rows({south.pk}))
    # 4 is held back, and 10 with it: the question's total minus 10 would be the 4.
    assert rows["30 bis 44"][0] is None and rows["65 bis 79"][0] is None and held == 14
    record(south, "65 bis 79", 1)
    rows, held = ages(reach_rows({south.pk}))
    assert rows["30 bis 44"] == (10, 67, 75) and rows["65 bis 79"] == (5, 33, 25)
    assert held == 0


def test_the_city_is_the_sum_of_what_each_quarter_shows():
    south, north = make_area("Südstadt"), make_area("Nordstadt")
    social = make_area("Bahnhofsviertel", parent=south)
    record(social, "30 bis 44", 6)
    record(south, "30 bis 44", 4)  # the quarter counts its social spaces: 10
    record(south, "18 bis 29", 5)
    record(north, "30 bis 44", 4)  # Nordstadt's 4 are held back, and stay so in the city
    record(north, "18 bis 29", 9)
    city, _held = ages(reach_rows(None))
    quarter, _held = ages(reach_rows({south.pk}))
    assert quarter["30 bis 44"][0] == 10 and quarter["18 bis 29"][0] == 5
    assert city["30 bis 44"][0] == 10  # not 14: "city minus Südstadt" would show the 4
    assert city["18 bis 29"][0] == 5


def test_quarter_page_and_report_show_who_is_reached(client):
    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    social = make_area("Bahnhofsviertel", parent=south, boundary=square(7.40, 51.40, 0.02))
    PopulationFigure.objects.create(area=south, group="30 bis 44", count=3000)
    record(south, "30 bis 44", 6)
    record(south, "18 bis 29", 5)
    page = client.get(reverse("neighbourhoods:area-detail", args=[south.slug])).content.decode()
    assert "Wer wird erreicht – und wer nicht?" in page
    assert '<th scope="row">30 bis 44</th><td>6</td><td>55 %</td><td>100 %</td>' in page
    sub_page = client.get(reverse("neighbourhoods:area-detail", args=[social.slug]))
    assert "Wer wird erreicht" not in sub_page.content.decode()
    client.force_login(make_coordination())
    report = client.get(reverse("participation:reports")).content.decode()
    assert "Wer wird erreicht und wer nicht?" in report and "30 bis 44" in report


def test_a_quarter_with_too_few_answers_to_a_question_counts_nowhere():
    south, north = make_area("Südstadt"), make_area("Nordstadt")
    record(south, "30 bis 44", 2)
    assert ages(reach_rows({south.pk})) == ({}, 0)  # not even "2 held back"
    record(north, "30 bis 44", 6)
    rows, held = ages(reach_rows(None))
    assert rows["30 bis 44"] == (6, 100, None) and held == 0
