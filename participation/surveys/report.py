"""The report's section on surveys, activating interviews and population figures (registered
in hooks.py)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from participation.reports.build import Section, Table, _bar_table

from .lifeworlds import reach_rows
from .models import HelperContact, PopulationFigure, Survey, SurveyResponse


def surveys_section(scope, period):
    """Per survey running in the period: responses in the scope's areas, online and from
    interviews; the contacts of people willing to help; population figures. Counts only."""
    responses = SurveyResponse.objects.filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    contacts = HelperContact.objects.all()
    figures = PopulationFigure.objects.all()
    if scope.area_ids is not None:
        responses = responses.filter(area_id__in=scope.area_ids)
        contacts = contacts.filter(area_id__in=scope.area_ids)
        figures = figures.filter(area_id__in=scope.area_ids)
    online = Q(channel=SurveyResponse.Channel.ONLINE)
    rows = [
        [row["survey__title"], row["online"], row["total"] - row["online"], row["total"]]
        for row in responses.values("survey_id", "survey__title")
        .annotate(total=Count("pk"), online=Count("pk", filter=online))
        .order_by("survey__title")
    ]
    figure_rows = [
        [row["area__name"], row["group"], row["count"]]
        for row in figures.values("area__name", "group", "count").order_by("area__name", "group")
    ]
    reach = reach_rows(
        scope.area_ids, since=period.start.replace(day=1), until=period.end_at.date()
    )
    running = Survey.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
    if not rows and not figure_rows and not reach and not running.exists():
        return None
    table = _bar_table(
        "surveys",
        _("Antworten je Umfrage"),
        _("Balken je Umfrage: Antworten online."),
        [_("Umfrage"), _("online"), _("im Gespräch oder auf Papier"), _("zusammen")],
        rows,
    )
    table.note = _(
        "Ergebnisse stehen auf der Ergebnisseite jeder Umfrage, nur für Gruppen ab der "
        "Mindestzahl an Antworten."
    )
    helpers = Table(
        key="helper-contacts",
        title=_("Menschen, die mitmachen möchten"),
        columns=[_("Gebiet"), _("Kontakte")],
        rows=[
            [row["area__name"], row["count"]]
            for row in contacts.values("area__name")
            .annotate(count=Count("pk"))
            .order_by("area__name")
        ],
    )
    population = Table(
        key="population",
        title=_("Bevölkerung je Gebiet und Gruppe"),
        columns=[_("Gebiet"), _("Gruppe"), _("Einwohner")],
        rows=figure_rows,
        note=_("Aus der Statistikstelle (manage.py import_population)."),
    )
    tables = [table, helpers]
    if reach:
        tables.append(reach_table(reach))
    if figure_rows:
        tables.append(population)
    return Section(
        key="surveys",
        number=None,
        title=_("Umfragen und aktivierende Befragungen"),
        question=_("Was sagen die Menschen, wenn wir sie fragen?"),
        tables=tables,
    )


def reach_table(reach):
    """Who is reached and who is not: the voluntary self-descriptions beside the population."""
    rows = []
    for question, choices, held in reach:
        for text, count, percent, population_percent in choices:
            rows.append([question.text, text, count, percent, population_percent])
        if held:
            rows.append([question.text, _("zurückgehalten (kleine Gruppen)"), held, None, None])
    return Table(
        key="reach",
        title=_("Wer wird erreicht und wer nicht?"),
        columns=[
            _("Frage"),
            _("Gruppe"),
            _("Angaben"),
            _("Anteil in %"),
            _("Anteil an den Einwohnern in %"),
        ],
        rows=rows,
        note=_(
            "Aus den freiwilligen Angaben zu den Beiträgen (Lebenswelten), je Quartier nur "
            "Gruppen ab der Mindestzahl; daneben die Bevölkerungszahlen der Statistikstelle, "
            "wo eine Gruppe ihnen zugeordnet ist. Bei Mehrfachauswahl: Anteil an allen Nennungen."
        ),
    )
