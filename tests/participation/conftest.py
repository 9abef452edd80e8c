import datetime

import pytest

from participation.surveys.models import QuestionKind, Survey, SurveyChoice, SurveyQuestion
from tests.factories import make_area, square


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (mails) of the block: `with on_commit(): client.post(...)`."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def survey_areas():
    return (
        make_area("Südstadt", boundary=square(7.40, 51.40, 0.05)),
        make_area("Nordstadt", boundary=square(7.50, 51.50, 0.05)),
        make_area("Innenstadt", boundary=square(7.45, 51.45, 0.04)),
    )


@pytest.fixture
def survey(survey_areas):
    survey = Survey.objects.create(
        title="Wie lebt es sich hier?",
        starts_on=datetime.date.today() - datetime.timedelta(days=3),
        ends_on=datetime.date.today() + datetime.timedelta(days=10),
        is_published=True,
    )
    survey.areas.set(survey_areas)
    bike = SurveyQuestion.objects.create(
        survey=survey, position=1, kind=QuestionKind.SINGLE, text="Fahren Sie Rad?", required=True
    )
    yes = SurveyChoice.objects.create(question=bike, position=1, text="Ja")
    SurveyChoice.objects.create(question=bike, position=2, text="Nein")
    SurveyQuestion.objects.create(
        survey=survey, position=2, kind=QuestionKind.SCALE, text="Wie sicher fühlen Sie sich?"
    )
    SurveyQuestion.objects.create(
        survey=survey,
        position=3,
        kind=QuestionKind.TEXT,
        text="Wo fehlt ein Radweg?",
        show_if_choice=yes,
    )
    SurveyQuestion.objects.create(
        survey=survey, position=4, kind=QuestionKind.AREA, text="Zeichnen Sie Ihr Viertel"
    )
    return survey
