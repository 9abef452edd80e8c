"""Demo survey: a citywide survey about getting around, running now, with about 90 answers
spread over the quarters (so results show, per quarter too), free texts of which some are
published, a few doorstep interviews and two helper contacts.

Called from `participation.demo.load`. Idempotent: by the survey's title. Creates nothing
without quarters.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area

from .models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from .services import helper_contact_create

TITLE = "Unterwegs im Quartier"
TEXTS = [
    "Ein Radweg an der Hauptstraße fehlt.",
    "Mehr Bänke am Weg zum Markt, bitte.",
    "Die Ampel am Bahnhof ist für Ältere zu kurz grün.",
    "Abends fährt kein Bus mehr in die Siedlung.",
    "Gehwege sind oft zugeparkt.",
]


# Three social spaces people see in Südstadt: (share of the quarter's width/height from its
# south-west corner, name, drawings).
SOUTH_SPACES = [
    (0.25, 0.3, "Bahnhofsviertel", "Am Bahnhof", 80),
    (0.7, 0.35, "Am Stadtpark", "Parkviertel", 70),
    (0.45, 0.75, "Südhang", "Am Hang", 50),
]


def load_drawings(*, stdout):
    """About 200 drawings clustering around three social spaces in Südstadt."""
    from neighbourhoods.geometry import boundary_shape

    from .drawings import drawing_create
    from .models import SocialSpaceDrawing

    south = Area.objects.current().filter(name="Südstadt").first()
    shape = boundary_shape(south.boundary) if south else None
    if shape is None or SocialSpaceDrawing.objects.filter(quarter=south).exists():
        return
    min_x, min_y, max_x, max_y = shape.bounds
    width, height = max_x - min_x, max_y - min_y
    rng = random.Random(200)
    for share_x, share_y, name, other_name, count in SOUTH_SPACES:
        for _ in range(count):
            x = min_x + width * (share_x + rng.gauss(0, 0.03))
            y = min_y + height * (share_y + rng.gauss(0, 0.03))
            half_w = width * rng.uniform(0.08, 0.14)
            half_h = height * rng.uniform(0.08, 0.14)
            ring = [
                [x - half_w, y - half_h],
                [x + half_w, y - half_h],
                [x + half_w, y + half_h],
                [x - half_w, y + half_h],
                [x - half_w, y - half_h],
            ]
            try:
                drawing_create(
                    boundary={"type": "Polygon", "coordinates": [ring]},
                    name=name if rng.random() < 0.8 else other_name,
                    ties=rng.sample(["live", "work", "school", "shopping", "leisure"], 2),
                )
            except Exception:  # noqa: BLE001, S112 - a drawing off the city edge is skipped
                continue
    stdout.write(f"surveys: {SocialSpaceDrawing.objects.count()} drawings of 'Mein Quartier'")


# The age groups as the default Lebenswelten question names them (population_group), and
# household types; shares of a quarter's residents.
POPULATION_GROUPS = [
    ("unter 18", 0.17),
    ("18 bis 29", 0.16),
    ("30 bis 44", 0.20),
    ("45 bis 64", 0.26),
    ("65 bis 79", 0.15),
    ("80 und älter", 0.06),
    ("Einpersonenhaushalte", 0.21),
    ("Haushalte mit Kindern", 0.2),
    ("Alleinerziehende", 0.03),
]
# Who fills in the self-description: the young and the old are reached less (so the report's
# "who is reached and who is not" has something to say).
REACHED_WEIGHTS = {
    "unter 18": 2,
    "18 bis 29": 10,
    "30 bis 44": 30,
    "45 bis 64": 35,
    "65 bis 79": 12,
    "80 und älter": 2,
}


def load_population(*, stdout):
    """Population per quarter, age group and household type, as the statistics office would
    deliver it."""
    from .models import PopulationFigure

    rng = random.Random(64)
    for area in Area.objects.current().filter(kind=Area.Kind.QUARTER).without_geometry():
        total = rng.randint(18_000, 42_000)
        for group, share in POPULATION_GROUPS:
            PopulationFigure.objects.get_or_create(
                area=area, group=group, defaults={"count": round(total * share)}
            )


def load_lifeworlds(*, stdout):
    """About 70 voluntary self-descriptions per quarter (Lebenswelten), and a volunteer."""
    from .models import InterviewVolunteer, LifeworldAnswer, LifeworldQuestion

    quarters = list(Area.objects.current().filter(kind=Area.Kind.QUARTER).without_geometry())
    if not quarters or LifeworldAnswer.objects.exists():
        return
    rng = random.Random(33)
    questions = list(LifeworldQuestion.objects.prefetch_related("choices"))
    rows = []
    for quarter in quarters:
        for _ in range(rng.randint(60, 80)):
            for question in questions:
                choices = list(question.choices.all())
                if not choices or rng.random() < 0.15:
                    continue  # voluntary: not everyone answers everything
                weights = [REACHED_WEIGHTS.get(choice.text, 5) for choice in choices]
                picked = rng.choices(choices, weights=weights)
                if question.multiple and rng.random() < 0.3:
                    picked.append(rng.choice(choices))
                rows += [LifeworldAnswer(area=quarter, choice=c) for c in set(picked)]
    LifeworldAnswer.objects.bulk_create(rows)
    south = next((quarter for quarter in quarters if quarter.name == "Südstadt"), None)
    volunteer = get_user_model().objects.filter(username="ehrenamt").first()
    if south and volunteer:
        entry, _created = InterviewVolunteer.objects.get_or_create(user=volunteer)
        entry.areas.add(south)
    stdout.write(f"surveys: {len(rows)} Lebenswelten answers")


def _point_answers(survey, question, rng):
    """Places people name as the most dangerous: around two crossings per quarter."""
    from neighbourhoods.geometry import boundary_shape

    spots = {}
    for area in survey.areas.exclude(boundary__isnull=True):
        shape = boundary_shape(area.boundary)
        if shape is None:
            continue
        point = shape.representative_point()
        spots[area.pk] = [(point.x, point.y), (point.x + 0.006, point.y + 0.003)]
    answers = []
    for response in survey.responses.all():
        if response.area_id not in spots or rng.random() < 0.3:
            continue
        lng, lat = rng.choice(spots[response.area_id])
        coordinates = [round(lng + rng.gauss(0, 0.0004), 6), round(lat + rng.gauss(0, 0.0003), 6)]
        answers.append(
            SurveyAnswer(
                response=response,
                question=question,
                geometry={"type": "Point", "coordinates": coordinates},
            )
        )
    SurveyAnswer.objects.bulk_create(answers)


def load(*, stdout):
    load_drawings(stdout=stdout)
    load_population(stdout=stdout)
    load_lifeworlds(stdout=stdout)
    quarters = list(Area.objects.current().filter(kind=Area.Kind.QUARTER).without_geometry())
    if not quarters or Survey.objects.filter(title=TITLE).exists():
        return
    today = timezone.localdate()
    survey = Survey.objects.create(
        title=TITLE,
        intro="Wie kommen Sie im Quartier von A nach B? Fünf Fragen, drei Minuten.",
        privacy_text="Wir speichern Ihre Antworten ohne Namen und zeigen nur Zusammenfassungen.",
        starts_on=today - datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=30),
        is_published=True,
    )
    survey.areas.set(quarters)
    how = SurveyQuestion.objects.create(
        survey=survey,
        position=1,
        kind=QuestionKind.SINGLE,
        text="Wie sind Sie meistens unterwegs?",
        required=True,
    )
    modes = [
        SurveyChoice.objects.create(question=how, position=i, text=text)
        for i, text in enumerate(["zu Fuß", "mit dem Rad", "mit Bus und Bahn", "mit dem Auto"])
    ]
    safe = SurveyQuestion.objects.create(
        survey=survey, position=2, kind=QuestionKind.SCALE, text="Wie sicher fühlen Sie sich?"
    )
    wish = SurveyQuestion.objects.create(
        survey=survey,
        position=3,
        kind=QuestionKind.MULTIPLE,
        text="Was würde Ihnen am meisten helfen?",
    )
    wishes = [
        SurveyChoice.objects.create(question=wish, position=i, text=text)
        for i, text in enumerate(["mehr Radwege", "mehr Busse am Abend", "breitere Gehwege"])
    ]
    missing = SurveyQuestion.objects.create(
        survey=survey,
        position=4,
        kind=QuestionKind.TEXT,
        text="Wo fehlt Ihnen etwas?",
        show_if_choice=modes[1],
    )
    danger = SurveyQuestion.objects.create(
        survey=survey, position=5, kind=QuestionKind.POINT, text="Wo ist es am gefährlichsten?"
    )
    rng = random.Random(20)
    answers = []
    for index in range(90):
        channel = SurveyResponse.Channel.DOORSTEP if index % 9 == 0 else "online"
        response = SurveyResponse.objects.create(
            survey=survey, area=rng.choice(quarters), channel=channel
        )
        mode = rng.choices(modes, weights=[4, 3, 3, 2])[0]
        answers.append(SurveyAnswer(response=response, question=how, choice=mode))
        answers.append(SurveyAnswer(response=response, question=safe, scale=rng.randint(2, 5)))
        for choice in rng.sample(wishes, rng.randint(0, 2)):
            answers.append(SurveyAnswer(response=response, question=wish, choice=choice))
        if mode == modes[1] and rng.random() < 0.5:
            status = "published" if rng.random() < 0.6 else "pending"
            answers.append(
                SurveyAnswer(
                    response=response,
                    question=missing,
                    text=rng.choice(TEXTS),
                    text_status=status,
                )
            )
    SurveyAnswer.objects.bulk_create(answers)
    _point_answers(survey, danger, rng)
    helper_contact_create(
        area=quarters[0],
        survey=survey,
        name="Erika Beispiel",
        contact="0170 0000000",
        interests="Straßenfest, Nachbarschaftshilfe",
    )
    stdout.write(f"surveys: {TITLE} with 90 responses")
