"""The report's section on surveys, activating interviews and population figures (registered
in hooks.py)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from participation.reports.build import Section, Table, _bar_table

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
    running = Survey.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
    if not rows and not figure_rows and not running.exists():
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
    return Section(
        key="surveys",
        number=None,
        title=_("Umfragen und aktivierende Befragungen"),
        question=_("Was sagen die Menschen, wenn wir sie fragen?"),
        tables=[table, helpers] + ([population] if figure_rows else []),
    )
