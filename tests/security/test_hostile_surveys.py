"""The hostile-input census of tests/security/test_hostile_forms.py for the forms of
participation.surveys: the questionnaire (with the Lebenswelten self-description), the results
filter, an interview and the drawing of one's neighbourhood. Never a 500, nothing half saved."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from participation.surveys.models import (
    HelperContact,
    LifeworldAnswer,
    LifeworldQuestion,
    QuestionKind,
    SocialSpaceDrawing,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from quartier.models import FormKey
from tests.factories import make_area, make_coordination, square
from tests.security.test_hostile_forms import (
    Form,
    _attack_field,
    _check,
    _whole_request_attacks,
)

pytestmark = pytest.mark.django_db

ROWS = (SurveyResponse, SurveyAnswer, HelperContact, SocialSpaceDrawing, LifeworldAnswer, FormKey)


class ForgetfulClient(Client):
    """A visitor who never keeps cookies, so every request meets the form itself rather than
    the 'already answered' notice."""

    def request(self, **request):
        self.cookies.clear()
        if getattr(self, "user_to_log_in", None) is not None:
            self.force_login(self.user_to_log_in)
        return super().request(**request)


@pytest.fixture
def world(settings):
    settings.RATELIMIT_ENABLED = False
    north = make_area("Nordstadt", boundary=square(7.46, 51.51, 0.05))
    today = datetime.date.today()
    survey = Survey.objects.create(
        title="Umfrage", starts_on=today, ends_on=today, is_published=True
    )
    survey.areas.set([north])
    single = SurveyQuestion.objects.create(
        survey=survey, position=1, kind=QuestionKind.SINGLE, text="Eins?", required=True
    )
    choice = SurveyChoice.objects.create(question=single, text="ja")
    multiple = SurveyQuestion.objects.create(
        survey=survey, position=2, kind=QuestionKind.MULTIPLE, text="Mehrere?"
    )
    SurveyChoice.objects.create(question=multiple, text="a")
    kinds = [QuestionKind.SCALE, QuestionKind.TEXT, QuestionKind.POINT, QuestionKind.AREA]
    questions = {
        kind: SurveyQuestion.objects.create(survey=survey, position=3 + i, kind=kind, text=kind)
        for i, kind in enumerate(kinds)
    }
    return {
        "north": north,
        "survey": survey,
        "single": single,
        "choice": choice,
        "multiple": multiple,
        "questions": questions,
        "coordination": make_coordination("koordination"),
    }


AREA = (
    '{"type":"Polygon","coordinates":[[[7.47,51.52],[7.48,51.52],[7.48,51.53],'
    "[7.47,51.53],[7.47,51.52]]]}"
)
POINT = '{"type": "Point", "coordinates": [7.465, 51.515]}'


def forms(world):
    survey, questions = world["survey"], world["questions"]
    answers = {
        f"frage_{world['single'].pk}": world["choice"].pk,
        f"frage_{world['multiple'].pk}": world["multiple"].choices.first().pk,
        f"frage_{questions['scale'].pk}": "4",
        f"frage_{questions['text'].pk}": "Mehr Bänke",
        f"frage_{questions['point'].pk}": POINT,
        f"frage_{questions['area'].pk}": AREA,
    }
    age, _household, languages = LifeworldQuestion.objects.order_by("position")[:3]
    answers[f"lebenswelt_{age.pk}"] = age.choices.first().pk
    answers[f"lebenswelt_{languages.pk}"] = languages.choices.first().pk
    questionnaire = {"area": world["north"].pk, **answers, "website": "", "form_key": ""}
    return [
        Form(
            "survey",
            reverse("participation:survey-detail", args=[survey.pk]),
            questionnaire,
            models=ROWS,
        ),
        Form(
            "survey results filter",
            reverse("participation:survey-results", args=[survey.pk]),
            {"gebiet": world["north"].slug},
            method="get",
        ),
        Form(
            "interview",
            reverse("participation:survey-interview", args=[survey.pk]),
            {
                **questionnaire,
                "channel": "doorstep",
                "would_help": "on",
                "interests": "Fest",
                "helper_name": "Erika",
                "helper_contact": "0170 1",
                "consent": "on",
            },
            login="coordination",
            models=ROWS,
        ),
        Form(
            "my quarter",
            reverse("participation:my-quarter"),
            {
                "boundary": AREA,
                "name": "Am Markt",
                "ties": "live",
                "identifies_with": "Der Markt",
                "website": "",
                "form_key": "",
            },
            models=ROWS,
        ),
    ]


NAMES = ["survey", "survey results filter", "interview", "my quarter"]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_values_never_give_a_500(world, name):
    form = next(form for form in forms(world) if form.name == name)
    client = ForgetfulClient(raise_request_exception=False)
    client.user_to_log_in = world[form.login] if form.login else None
    failures = []
    response = client.post(form.url, form.data) if form.method == "post" else None
    if response is not None:
        assert response.status_code == 302, "the valid data is valid"
    for key in form.data:
        _attack_field(failures, client, form, key)
    for label, attack in _whole_request_attacks(form).items():
        _check(failures, client, form, label, **attack)
    assert failures == []
