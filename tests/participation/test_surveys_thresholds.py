"""Survey results never show a group below SURVEY_MIN_ANSWERS: not a cell, not a question's
count, and not the difference between two filters (all areas and one area)."""

import itertools

import pytest
from django.urls import reverse

from participation.surveys.models import (
    QuestionKind,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from participation.surveys.selectors import survey_results

pytestmark = pytest.mark.django_db


def respond(survey, area, *, choice=None, scale=None, point=None):
    response = SurveyResponse.objects.create(survey=survey, area=area)
    if choice is not None:
        choice = SurveyChoice.objects.get(question__survey=survey, text=choice)
        SurveyAnswer.objects.create(response=response, question=choice.question, choice=choice)
    if scale is not None:
        question = survey.questions.get(kind=QuestionKind.SCALE)
        SurveyAnswer.objects.create(response=response, question=question, scale=scale)
    if point is not None:
        question = survey.questions.get(kind=QuestionKind.POINT)
        SurveyAnswer.objects.create(
            response=response,
            question=question,
            geometry={"type": "Point", "coordinates": list(point)},
        )
    return response


def rows(results, position=0):
    return dict(results.questions[position].rows)


def derivable_small(survey, areas, minimum=5):
    """Every figure one can work out as "all areas" minus the areas one can filter by."""
    whole = survey_results(survey)
    shown = whole.filter_areas
    small = []
    for question_index, result in enumerate(whole.questions):
        for label, count in result.rows:
            if count is None:
                continue
            rest = count
            for area in shown:
                area_count = dict(survey_results(survey, area=area).questions[question_index].rows)
                if area_count.get(label) is None:
                    break
                rest -= area_count[label]
            else:
                if 0 < rest < minimum:
                    small.append((result.question.text, label, rest))
    return small


def test_a_cell_of_four_is_never_shown(survey, survey_areas):
    south = survey_areas[0]
    for answer in ["Ja"] * 10 + ["Nein"] * 4:
        respond(survey, south, choice=answer)
    results = survey_results(survey, area=south)
    # "Nein" (4) is held back, and "Ja" with it: 14 answered minus "Ja" would be "Nein".
    assert rows(results) == {"Ja": None, "Nein": None}
    for answer in ["Nein"] * 3:
        respond(survey, south, choice=answer)
    assert rows(survey_results(survey, area=south)) == {"Ja": 10, "Nein": 7}


def test_the_difference_of_two_filters_never_shows_a_group_of_four(survey, survey_areas):
    south, north, centre = survey_areas
    # Südstadt: Ja 6, Nein 6; Nordstadt: Ja 10, Nein 2 (held back there) … the whole's "Nein"
    # (8) minus Südstadt's (6) would be Nordstadt's 2.
    for area, yes, no in [(south, 6, 6), (north, 10, 2), (centre, 0, 0)]:
        for answer in ["Ja"] * yes + ["Nein"] * no:
            respond(survey, area, choice=answer)
    assert rows(survey_results(survey, area=south)) == {"Ja": 6, "Nein": 6}
    assert rows(survey_results(survey, area=north)) == {"Ja": None, "Nein": None}
    assert rows(survey_results(survey)) == {"Ja": None, "Nein": None}
    assert derivable_small(survey, survey_areas) == []


@pytest.mark.parametrize("seed", range(6))
def test_no_small_group_is_derivable_from_any_filters(survey, survey_areas, seed):
    import random

    rng = random.Random(seed)
    for area in survey_areas:
        for _ in range(rng.choice([0, 3, 4, 6, 9, 14])):
            respond(survey, area, choice=rng.choice(["Ja", "Nein"]), scale=rng.randint(1, 5))
    assert derivable_small(survey, survey_areas) == []
    whole = survey_results(survey)
    for area, result in itertools.product([None, *whole.filter_areas], range(len(whole.questions))):
        figures = survey_results(survey, area=area).questions[result]
        assert all(count is None or count == 0 or count >= 5 for _l, count in figures.rows)
        if figures.rows and any(count is None for _l, count in figures.rows):
            assert figures.average is None  # an average would give the held-back cells away


def test_a_question_answered_by_four_is_held_back(survey, survey_areas):
    south = survey_areas[0]
    for index in range(8):
        respond(survey, south, choice="Ja", scale=4 if index < 4 else None)
    results = survey_results(survey, area=south)
    scale = results.questions[1]
    assert not scale.visible and scale.rows == [] and scale.average is None
    page = reverse("participation:survey-results", args=[survey.pk])
    from django.test import Client

    html = Client().get(page).content.decode()
    assert "Zu wenige Antworten auf diese Frage" in html
    assert "4 Personen haben geantwortet" not in html


def test_point_answers_are_shown_as_cells_of_enough_points(client, survey, survey_areas):
    south = survey_areas[0]
    SurveyQuestion.objects.create(
        survey=survey, position=5, kind=QuestionKind.POINT, text="Wo ist es gefährlich?"
    )
    for index in range(6):
        respond(survey, south, choice="Ja", point=(7.4101 + index * 0.0001, 51.4101))
    for index in range(3):
        respond(survey, south, choice="Ja", point=(7.43, 51.43 + index * 0.0001))
    for index in range(3):
        respond(survey, south, choice="Ja", point=(7.44, 51.44 + index * 0.0001))
    results = survey_results(survey)
    points = results.questions[-1]
    # The two cells of 3 are held back; together (6) they reveal no cell.
    assert [count for count, _cell in points.cells] == [6] and points.held == 6
    page = client.get(reverse("participation:survey-results", args=[survey.pk])).content
    page = page.decode()
    assert 'id="point-cells-' in page and '"count": 6' in page
    assert "51.43" not in page and "51.44" not in page  # no single point, no small cell
    assert "6 Orte zeigen wir nicht" in page
    csv_text = survey_csv(client, survey)
    assert ";6;" in csv_text


def survey_csv(client, survey):
    from tests.factories import make_coordination

    client.force_login(make_coordination())
    url = reverse("participation:survey-export-csv", args=[survey.pk])
    return client.get(url).content.decode("utf-8-sig")


def test_export_writes_held_back_cells_as_below_the_threshold(client, survey, survey_areas):
    for answer in ["Ja"] * 10 + ["Nein"] * 4:
        respond(survey, survey_areas[0], choice=answer)
    csv_text = survey_csv(client, survey)
    assert "Fahren Sie Rad?;Nein;weniger als 5;" in csv_text
    assert ";4;" not in csv_text
