"""Survey results: aggregates only, and never a group below `SURVEY_MIN_ANSWERS`.

The results can be filtered by the area people answered for. The survey's areas split the
responses into disjoint groups, so every group one could work out from the figures shown is a
union of these groups. A group below the threshold is held back, and so is a second one when
the held-back groups together would still be below it or when a single held-back group could be
worked out as "all minus the groups shown" (secondary suppression). So neither one filter nor
the difference of two (or of all and several) ever shows a group of fewer people.
"""

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count
from django.utils.translation import gettext as _
from shapely.geometry import box, mapping

from .models import QuestionKind, SurveyAnswer, SurveyQuestion, SurveyResponse, min_answers


class WrittenText(NamedTuple):
    """A published free-text answer and the language it was written in (pages mark it)."""

    text: str
    language: str


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
    visible: bool = True  # False: fewer than the threshold answered this question here
    cells: list = field(default_factory=list)  # point questions: [(count, (i, j))] shown
    held: int = 0  # point questions: answers in cells held back
    geojson: dict | None = None

    def percentage(self, count):
        return round(100 * count / self.answered) if self.answered and count else 0

    @property
    def held_rows(self):
        return any(count is None for _label, count in self.rows)

    @property
    def geojson_id(self):
        return f"point-cells-{self.question.pk}"

    @property
    def cell_rows(self):
        """[(count, "lat, lng" of the cell's centre)] for the table beside the map."""
        from .drawings import cell_size

        dlng, dlat = cell_size(metres=POINT_CELL_METRES)
        return [
            (count, f"{(j + 0.5) * dlat:.4f}, {(i + 0.5) * dlng:.4f}")
            for count, (i, j) in self.cells
        ]

    @property
    def table_rows(self):
        """[(label, count, percent)]; count and percent None where held back."""
        return [
            (label, count, None if count is None else self.percentage(count))
            for label, count in self.rows
        ]


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


REST = "rest"  # the areas held back, together one group (≥ the threshold or empty)
POINT_CELL_METRES = 250


def _point_cell(geometry):
    """The grid cell (i, j) of a point answer, on the drawings' grid but coarser."""
    from .drawings import cell_size

    try:
        lng, lat = (float(value) for value in geometry["coordinates"][:2])
    except (KeyError, TypeError, ValueError):
        return None
    dlng, dlat = cell_size(metres=POINT_CELL_METRES)
    return (math.floor(lng / dlng), math.floor(lat / dlat))


def _cell_geometry(cell):
    from .drawings import cell_size

    dlng, dlat = cell_size(metres=POINT_CELL_METRES)
    i, j = cell
    return mapping(box(i * dlng, j * dlat, (i + 1) * dlng, (j + 1) * dlat))


@dataclass
class _Figures:
    """One group's (or the whole's) figures of one question: cells {key: count}, the people
    who answered, and which cells may be shown."""

    answered: int = 0
    cells: dict = field(default_factory=dict)
    shown: set = field(default_factory=set)
    visible: bool = False


def _group_figures(answered, cells, minimum):
    """Within one group: the question only when ≥ `minimum` people answered it; a cell only
    when ≥ `minimum`, and with it held back enough others that the held ones cannot be worked
    out from the number who answered (the cells of one question split it: `shown_groups`)."""
    figures = _Figures(answered=answered, cells=cells, visible=answered >= minimum)
    if figures.visible:
        figures.shown = shown_groups(cells, minimum=minimum)
    return figures


def _whole_figures(groups, minimum):
    """The figures of several groups together. A question or cell is shown only where every
    group shows it (or has none of it): the whole minus the groups shown is then a sum of
    figures each group may show, never a small group."""
    answered = sum(figures.answered for figures in groups)
    cells = {}
    for figures in groups:
        for key, count in figures.cells.items():
            cells[key] = cells.get(key, 0) + count
    whole = _Figures(answered=answered, cells=cells)
    whole.visible = answered >= minimum and all(
        figures.visible or not figures.answered for figures in groups
    )
    if whole.visible:
        whole.shown = {
            key
            for key in cells
            if all(key in figures.shown or not figures.cells.get(key) for figures in groups)
        }
    return whole


def _cell_counts(answers, questions):
    """{(area_id, question_id): (answered, {key: count})} in three queries: choices, scale
    values, and points (counted on grid cells here)."""
    table = {}

    def add(area_id, question_id, key, count):
        cells = table.setdefault((area_id, question_id), [0, {}])[1]
        cells[key] = cells.get(key, 0) + count

    for area_id, question_id, people in (
        answers.values_list("response__area_id", "question_id")
        .annotate(people=Count("response_id", distinct=True))
        .values_list("response__area_id", "question_id", "people")
    ):
        table.setdefault((area_id, question_id), [0, {}])[0] = people
    for area_id, question_id, choice_id, count in (
        answers.filter(choice__isnull=False)
        .values_list("response__area_id", "question_id", "choice_id")
        .annotate(count=Count("pk"))
    ):
        add(area_id, question_id, choice_id, count)
    for area_id, question_id, scale, count in (
        answers.filter(scale__isnull=False)
        .values_list("response__area_id", "question_id", "scale")
        .annotate(count=Count("pk"))
    ):
        add(area_id, question_id, scale, count)
    points = [q.pk for q in questions if q.kind == QuestionKind.POINT]
    if points:
        for area_id, question_id, geometry in answers.filter(
            question_id__in=points, geometry__isnull=False
        ).values_list("response__area_id", "question_id", "geometry"):
            cell = _point_cell(geometry)
            if cell is not None:
                add(area_id, question_id, cell, 1)
    return table


def survey_results(survey, *, area=None, with_texts=True):
    """The results of `survey` for all responses or those for `area` (one of its areas).

    The areas split the responses into groups: each area shown in the filter, and the areas
    held back together (`REST`). Every group's figures pass `_group_figures`; the figures for
    all areas are those every group agrees to show (`_whole_figures`). So a cell below the
    threshold is shown neither on one page nor as the difference of two."""
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
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    questions = survey_questions(survey)
    table = _cell_counts(answers, questions)
    texts = {}
    if with_texts:
        published = answers.published_texts().order_by("question_id", "pk")
        if area is not None:
            published = published.filter(response__area=area)
        for question_id, text, language in published.values_list("question_id", "text", "language")[
            :2000
        ]:
            texts.setdefault(question_id, []).append(WrittenText(text, language))
    for question in questions:
        groups = {}
        for (area_id, question_id), (people, cells) in table.items():
            if question_id != question.pk:
                continue
            key = area_id if area_id in shown_areas else REST
            merged = groups.setdefault(key, [0, {}])
            merged[0] += people
            for cell, count in cells.items():
                merged[1][cell] = merged[1].get(cell, 0) + count
        figures = {
            key: _group_figures(people, cells, minimum) for key, (people, cells) in groups.items()
        }
        if area is not None:
            mine = figures.get(area.pk) or _Figures()
        else:
            mine = _whole_figures(list(figures.values()), minimum)
        results.questions.append(_question_result(question, mine, texts))
    return results


def _question_result(question, figures, texts):
    result = QuestionResult(question=question, answered=figures.answered)
    result.visible = figures.visible

    def shown(key):
        count = figures.cells.get(key, 0)
        return count if key in figures.shown or not count else None

    if question.kind == QuestionKind.TEXT:
        result.texts = texts.get(question.pk, [])
        return result
    if not figures.visible:
        return result
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        result.rows = [(choice.text, shown(choice.pk)) for choice in question.choices.all()]
    elif question.kind == QuestionKind.SCALE:
        result.rows = [(str(value), shown(value)) for value in range(5, 0, -1)]
        if all(count is not None for _label, count in result.rows):
            total = sum(figures.cells.values())
            result.average = sum(v * figures.cells.get(v, 0) for v in range(1, 6)) / total
    elif question.kind == QuestionKind.POINT:
        result.cells = sorted(
            (figures.cells[key], key) for key in figures.shown if figures.cells.get(key)
        )[::-1]
        result.held = figures.answered - sum(count for count, _key in result.cells)
    return result


def point_cells_geojson(result):
    """The grid cells of a point question's result as GeoJSON (only the cells shown)."""
    top = max((count for count, _cell in result.cells), default=0)
    features = []
    for count, cell in result.cells:
        features.append(
            {
                "type": "Feature",
                "geometry": _cell_geometry(cell),
                "properties": {
                    "count": count,
                    "colour": "#b45309",
                    "fillOpacity": round(0.25 + 0.5 * count / top, 2) if top else 0.5,
                    "summary": str(_("%(count)s Orte") % {"count": count}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
