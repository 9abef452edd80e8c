"""Lebenswelten: the voluntary self-description beside the participation forms.

Staff set the questions in the admin (`LifeworldQuestion`, defaults: age group, household,
languages spoken at home, years in the quarter). A form that asks them mixes in
`LifeworldFieldsMixin` (every field optional, grouped under "freiwillig") and, once its own
contribution is stored, passes the picks to `lifeworld_record` with the contribution's area.
The picks are stored apart from identity (`LifeworldAnswer`: area, month, choice — nothing
else) and leave the database only as counts per group of at least `SURVEY_MIN_ANSWERS`, set
beside the population figures (`reach_rows`): who is reached and who is not.
"""

from django import forms
from django.db.models import Count, Sum

from quartier import fragments

from .models import (
    LifeworldAnswer,
    LifeworldChoice,
    LifeworldQuestion,
    PopulationFigure,
    min_answers,
)
from .selectors import shown_groups

PREFIX = "lebenswelt_"


def lifeworld_questions():
    return list(LifeworldQuestion.objects.filter(is_active=True).prefetch_related("choices"))


class LifeworldFieldsMixin:
    """Adds one optional field per active Lebenswelten question (`lebenswelt_<pk>`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lifeworld_questions = lifeworld_questions()
        self.lifeworld_minimum = min_answers()
        for question in self.lifeworld_questions:
            choices = {str(choice.pk): choice for choice in question.choices.all()}
            options = [(key, choice.text) for key, choice in choices.items()]
            common = {"label": question.text, "required": False, "choices": options}
            if question.multiple:
                field = forms.TypedMultipleChoiceField(
                    coerce=choices.get, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.TypedChoiceField(
                    coerce=choices.get, empty_value=None, widget=forms.RadioSelect, **common
                )
            self.fields[f"{PREFIX}{question.pk}"] = field

    def lifeworld_fields(self):
        return [self[f"{PREFIX}{question.pk}"] for question in self.lifeworld_questions]

    def lifeworld_choices(self):
        """The choices picked (a list of `LifeworldChoice`), after validation."""
        picked = []
        for question in self.lifeworld_questions:
            value = self.cleaned_data.get(f"{PREFIX}{question.pk}")
            if isinstance(value, list):
                picked.extend(value)
            elif value is not None:
                picked.append(value)
        return picked


def lifeworld_record(*, area, choices):
    """Store the picks for `area` (this month); nothing about who or which contribution."""
    if area is None or not choices:
        return []
    rows = [LifeworldAnswer(area=area, choice=choice) for choice in choices]
    created = LifeworldAnswer.objects.bulk_create(rows)
    fragments.bump(fragments.model_scope(LifeworldAnswer))  # bulk_create sends no signal
    return created


def reach_rows(area_ids=None, *, minimum=None, since=None, until=None):
    """Who is reached and who is not: per question and choice, the share among the
    self-descriptions beside the share of the choice's population group among the residents.

    The unit is the quarter: each quarter's counts are held back below the threshold (and, so
    that none can be worked out from the question's total, the next smallest too — see
    `shown_groups`); the figures for several quarters (the city) are the sums of what each
    quarter shows, so no difference between two pages reveals a small group. `area_ids` (None
    = the city) selects the quarters among them.

    Returns [(question, [(choice_text, count, percent, population_percent)], held)]; `count`
    is None where held back, `held` the number of answers held back.
    """
    from neighbourhoods.selectors import area_tree

    minimum = minimum or min_answers()
    tree = area_tree()
    answers = LifeworldAnswer.objects.all()
    if since is not None:
        answers = answers.filter(month__gte=since)
    if until is not None:
        answers = answers.filter(month__lt=until)
    per_area = answers.values_list("area_id", "choice_id").annotate(n=Count("pk"))
    cells = {}  # (quarter, choice) → count
    for area_id, choice_id, count in per_area:
        quarter = tree.parent_chain(area_id)[-1]
        if area_ids is None or quarter in area_ids:
            cells[(quarter, choice_id)] = cells.get((quarter, choice_id), 0) + count
    quarters = {quarter for quarter, _choice in cells}
    figures = PopulationFigure.objects.filter(
        area_id__in=tree.descendant_ids(list(quarters), with_successors=False)
    )
    population = dict(figures.values("group").annotate(n=Sum("count")).values_list("group", "n"))
    choices = LifeworldChoice.objects.select_related("question").order_by(
        "question__position", "question_id", "position", "pk"
    )
    by_question = {}
    for choice in choices:
        by_question.setdefault(choice.question, []).append(choice)
    result = []
    for question, question_choices in by_question.items():
        shown_counts = {choice.pk: 0 for choice in question_choices}
        total = 0
        for quarter in quarters:
            counts = {choice.pk: cells.get((quarter, choice.pk), 0) for choice in question_choices}
            if sum(counts.values()) < minimum:
                continue  # a quarter's question with too few answers counts nowhere, not even
                # in the totals (they would give its number away)
            total += sum(counts.values())
            for key in shown_groups(counts, minimum=minimum):
                shown_counts[key] += counts[key]
        if not total:
            continue
        residents = sum(
            population.get(choice.population_group, 0)
            for choice in question_choices
            if choice.population_group
        )
        rows = []
        for choice in question_choices:
            count = shown_counts[choice.pk] if shown_counts[choice.pk] >= minimum else None
            percent = round(100 * count / total) if count is not None else None
            people = population.get(choice.population_group) if choice.population_group else None
            population_percent = round(100 * people / residents) if people and residents else None
            rows.append((choice.text, count, percent, population_percent))
        held = total - sum(row[1] or 0 for row in rows)
        result.append((question, rows, held))
    return result
