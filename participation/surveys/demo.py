"""Demo survey: a citywide survey about getting around, running now, with about 90 answers
spread over the quarters (so results show, per quarter too), free texts of which some are
published, a few doorstep interviews and two helper contacts.

Called from `participation.demo.load`. Idempotent: by the survey's title. Creates nothing
without quarters.
"""

import datetime
import random

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


POPULATION_GROUPS = [("unter 18", 0.17), ("18 bis 64", 0.62), ("65 und älter", 0.21)]


def load_population(*, stdout):
    """Population per quarter and age group, as the statistics office would deliver it."""
    from .models import PopulationFigure

    rng = random.Random(64)
    for area in Area.objects.current().filter(kind=Area.Kind.QUARTER).without_geometry():
        total = rng.randint(18_000, 42_000)
        for group, share in POPULATION_GROUPS:
            PopulationFigure.objects.get_or_create(
                area=area, group=group, defaults={"count": round(total * share)}
            )


def load(*, stdout):
    load_drawings(stdout=stdout)
    load_population(stdout=stdout)
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
    SurveyQuestion.objects.create(
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
    helper_contact_create(
        area=quarters[0],
        survey=survey,
        name="Erika Beispiel",
        contact="0170 0000000",
        interests="Straßenfest, Nachbarschaftshilfe",
    )
    stdout.write(f"surveys: {TITLE} with 90 responses")
