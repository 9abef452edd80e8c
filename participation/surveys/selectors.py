"""Survey results: aggregates only, and never a group below `SURVEY_MIN_ANSWERS`.

The results can be filtered by the area people answered for. The survey's areas split the
responses into disjoint groups, so every group one could work out from the figures shown is a
union of these groups. A group below the threshold is held back, and so is a second one when
the held-back groups together would still be below it or when a single held-back group could be
worked out as "all minus the groups shown" (secondary suppression). So neither one filter nor
the difference of two (or of all and several) ever shows a group of fewer people.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count

from .models import QuestionKind, SurveyAnswer, SurveyQuestion, SurveyResponse, min_answers


def shown_groups(counts, *, minimum=None):
    """The keys of `counts` ({group: responses}) whose figures may be shown on their own."""
    minimum = minimum or min_answers()
    if sum(counts.values()) < minimum:
        return set()
    held = {key for key, count in counts.items() if 0 < count < minimum}
    while held and (sum(counts[key] for key in held) < minimum or len(held) == 1):
        candidates = [key for key, count in counts.items() if key not in held and count > 0]
        if not candidates:
            break
        held.add(min(candidates, key=lambda key: (counts[key], str(key))))
    return {key for key, count in counts.items() if count >= minimum and key not in held}


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    rows: list = field(default_factory=list)  # [(label, count)]
    average: float | None = None
    texts: list = field(default_factory=list)
    chart: str = ""

    def percentage(self, count):
        return round(100 * count / self.answered) if self.answered else 0


@dataclass
class SurveyResults:
    survey: object
    total: int
    group_count: int
    shown: bool
    area: object = None
    filter_areas: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    minimum: int = 5


def survey_questions(survey):
    return list(survey.questions.select_related("show_if_choice").prefetch_related("choices"))


def survey_results(survey, *, area=None, with_texts=True):
    """The results of `survey` for all responses or those for `area` (one of its areas)."""
    minimum = min_answers()
    areas = list(survey.areas.without_geometry().order_by("name"))
    per_area = dict(
        SurveyResponse.objects.filter(survey=survey)
        .values_list("area_id")
        .annotate(count=Count("pk"))
        .values_list("area_id", "count")
    )
    counts = {item.pk: per_area.get(item.pk, 0) for item in areas}
    total = sum(per_area.values())
    shown_areas = shown_groups(counts, minimum=minimum)
    filter_areas = [item for item in areas if item.pk in shown_areas]
    if area is not None:
        group_count = counts.get(area.pk, 0)
        shown = area.pk in shown_areas
    else:
        group_count, shown = total, total >= minimum
    results = SurveyResults(
        survey=survey,
        total=total,
        group_count=group_count,
        shown=shown,
        area=area,
        filter_areas=filter_areas,
        minimum=minimum,
    )
    if not shown:
        return results
    responses = SurveyResponse.objects.filter(survey=survey)
    if area is not None:
        responses = responses.filter(area=area)
    answers = SurveyAnswer.objects.filter(response__in=responses.values("pk"))
    questions = survey_questions(survey)
    answered = dict(
        answers.values("question_id")
        .annotate(people=Count("response_id", distinct=True))
        .values_list("question_id", "people")
    )
    choice_counts = dict(
        answers.filter(choice__isnull=False)
        .values("choice_id")
        .annotate(count=Count("pk"))
        .values_list("choice_id", "count")
    )
    scale_counts = {
        (row["question_id"], row["scale"]): row["count"]
        for row in answers.filter(scale__isnull=False)
        .values("question_id", "scale")
        .annotate(count=Count("pk"))
    }
    averages = dict(
        answers.filter(scale__isnull=False)
        .values("question_id")
        .annotate(average=Avg("scale"))
        .values_list("question_id", "average")
    )
    texts = {}
    if with_texts:
        published = answers.published_texts().order_by("question_id", "pk")
        for question_id, text in published.values_list("question_id", "text")[:2000]:
            texts.setdefault(question_id, []).append(text)
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            result.rows = [
                (choice.text, choice_counts.get(choice.pk, 0)) for choice in question.choices.all()
            ]
        elif question.kind == QuestionKind.SCALE:
            result.rows = [
                (str(value), scale_counts.get((question.pk, value), 0)) for value in range(5, 0, -1)
            ]
            result.average = averages.get(question.pk)
        elif question.kind == QuestionKind.TEXT:
            result.texts = texts.get(question.pk, [])
        results.questions.append(result)
    return results
