"""The report: the five guiding questions (plus responsiveness) as sections of tables and charts.

Every table holds plain values (text, numbers, dates, None) so the page, the CSV and the XLSX
export show the same figures; the chart beside a table is drawn from the same rows.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from network import selectors as network
from participation.ideas.models import KIND_COLOURS_BY_KIND, Channel, IdeaKind
from participation.offices.selectors import responsiveness_per_office

from . import charts, selectors


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    chart: str = ""
    note: str = ""

    @property
    def display_rows(self):
        return [[display(value) for value in row] for row in self.rows]


@dataclass
class Section:
    key: str
    number: int | None
    title: str
    question: str
    tables: list = field(default_factory=list)
    map_geojson: dict | None = None


@dataclass
class Report:
    scope: object
    period: object
    created: datetime.datetime
    sections: list
    cache_token: str = ""  # set when the report came from or went into the shared cache

    @property
    def tables(self):
        return [table for section in self.sections for table in section.tables]

    def table(self, key):
        return next((table for table in self.tables if table.key == key), None)


def display(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return formats.number_format(value, 1)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return formats.localize(value)


def month_label(month):
    return f"{month:%m/%Y}"


def short_month_label(month):
    return f"{month:%m/%y}"


def quarter_label(key):
    year, quarter = key
    return _("%(quarter)s. Quartal %(year)s") % {"quarter": quarter, "year": year}


def _kind_labels():
    return {kind.value: str(kind.label) for kind in IdeaKind}


def _bar_table(key, title, description, columns, rows, value_index=1):
    table = Table(key=key, title=title, columns=columns, rows=rows)
    if rows:
        table.chart = charts.bar_chart(
            chart_id=f"chart-{key}",
            title=title,
            description=description,
            items=[(row[0], row[value_index]) for row in rows],
        )
    return table


def topics_section(scope, period):
    kinds = _kind_labels()
    per_month = selectors.ideas_per_month_by_kind(scope, period)
    months = sorted(per_month)
    rows = [
        [month_label(month)]
        + [per_month[month][kind] for kind in IdeaKind.values]
        + [sum(per_month[month].values())]
        for month in months
    ]
    total = sum(row[-1] for row in rows)
    month_table = Table(
        key="ideas-per-month",
        title=_("Beiträge pro Monat nach Art"),
        columns=[_("Monat")] + [kinds[kind] for kind in IdeaKind.values] + [_("Gesamt")],
        rows=rows,
    )
    month_table.chart = charts.stacked_bar_chart(
        chart_id="chart-ideas-per-month",
        title=month_table.title,
        description=_(
            "Gestapelte Säulen je Monat: Ideen, Stärken und Schwächen. Insgesamt %(total)s "
            "Beiträge; die Tabelle daneben enthält alle Zahlen."
        )
        % {"total": total},
        categories=[short_month_label(month) for month in months],
        series=[
            charts.Series(
                name=kinds[kind],
                values=[per_month[month][kind] for month in months],
                colour=KIND_COLOURS_BY_KIND[kind],
            )
            for kind in IdeaKind.values
        ],
    )

    topic_names, per_topic = selectors.ideas_per_month_by_topic(scope, period)
    topic_month_table = Table(
        key="topics-per-month",
        title=_("Beiträge pro Monat nach Thema"),
        columns=[_("Monat")] + topic_names,
        rows=[
            [month_label(month)] + [per_topic[month].get(name, 0) for name in topic_names]
            for month in sorted(per_topic)
        ],
    )

    topic_rows = [
        [row["topic__name"], row["idea"], row["strength"], row["weakness"], row["total"]]
        for row in selectors.topics_by_kind(scope, period)
    ]
    topic_table = _bar_table(
        "topics",
        _("Themen nach Art des Beitrags"),
        _("Balken je Thema: Zahl der Beiträge im Zeitraum, häufigstes Thema oben."),
        [_("Thema")] + [kinds[kind] for kind in IdeaKind.values] + [_("Gesamt")],
        topic_rows,
        value_index=4,
    )

    top_rows = [
        [name] + [f"{topic} ({count})" for topic, count in topics] + [""] * (3 - len(topics))
        for name, topics in selectors.top_topics_per_area(scope, period)
    ]
    top_table = Table(
        key="top-topics-per-area",
        title=_("Häufigste Themen je Gebiet"),
        columns=[_("Gebiet"), _("1. Thema"), _("2. Thema"), _("3. Thema")],
        rows=top_rows,
    )
    return Section(
        key="topics",
        number=1,
        title=_("Themen"),
        question=_("Welche Themen beschäftigen die Menschen im Quartier?"),
        tables=[month_table, topic_table, topic_month_table, top_table],
    )


def identification_section(scope, period):
    strengths = selectors.most_supported_strengths(scope, period)
    table = _bar_table(
        "strengths",
        _("Die meistunterstützten Stärken"),
        _("Balken je Stärke: Zahl der Unterstützungen, die meistunterstützte oben."),
        [_("Stärke"), _("Unterstützungen"), _("Gebiet"), _("Thema")],
        [
            [row["title"], row["support_count"], row["area__name"], row["topic__name"]]
            for row in strengths
        ],
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": row["location"]["coordinates"][:2]},
            "properties": {
                "name": row["title"],
                "summary": _("%(count)s Unterstützungen") % {"count": row["support_count"]},
                "colour": KIND_COLOURS_BY_KIND[IdeaKind.STRENGTH],
            },
        }
        for row in strengths
        if isinstance(row["location"], dict) and row["location"].get("coordinates")
    ]
    return Section(
        key="identification",
        number=2,
        title=_("Identifikation"),
        question=_("Womit identifizieren sich die Menschen im Quartier?"),
        tables=[table],
        map_geojson={"type": "FeatureCollection", "features": features} if features else None,
    )


def lifeworlds_section(scope, period):
    people = selectors.participants(scope, period)
    participant_table = _bar_table(
        "participants",
        _("Wer macht mit?"),
        _("Balken: verschiedene Konten und bestätigte E-Mail-Adressen ohne Konto."),
        [_("Teilnehmende"), _("Anzahl")],
        [
            [_("mit Konto"), people["accounts"]],
            [_("mit bestätigter E-Mail-Adresse (ohne Konto)"), people["emails"]],
            [_("zusammen"), people["accounts"] + people["emails"]],
        ],
    )
    participant_table.note = _(
        "Konten zählen einmal, gleich ob sie Beiträge, Kommentare, Unterstützungen, Anmeldungen "
        "oder Stimmungs-Antworten abgegeben haben; E-Mail-Adressen ohne Konto einmal je Adresse."
    )
    counts = selectors.channels(scope, period)
    channel_table = _bar_table(
        "channels",
        _("Beiträge nach Weg"),
        _("Balken je Weg: online, bei einem Treffen, am Telefon, auf Papier."),
        [_("Weg"), _("Beiträge")],
        [[str(label), counts.get(value, 0)] for value, label in Channel.choices],
    )
    groups = network.partner_target_group_counts(scope.area_ids)
    group_table = _bar_table(
        "target-groups",
        _("Netzwerkpartner nach Zielgruppe"),
        _("Balken je Zielgruppe: Zahl der aktiven Partner, die sie erreichen."),
        [_("Zielgruppe"), _("Partner")],
        [[name, count] for name, count in groups],
    )
    return Section(
        key="lifeworlds",
        number=3,
        title=_("Lebenswelten"),
        question=_("Welche unterschiedlichen Lebenswelten gibt es im Quartier?"),
        tables=[participant_table, channel_table, group_table],
    )


def quality_section(scope, period):
    weaknesses = _bar_table(
        "weaknesses",
        _("Schwächen nach Thema"),
        _("Balken je Thema: Zahl der genannten Schwächen, häufigstes Thema oben."),
        [_("Thema"), _("Schwächen"), _("davon offen"), _("davon umgesetzt")],
        [
            [row["topic__name"], row["total"], row["open"], row["realised"]]
            for row in selectors.weaknesses_by_topic(scope, period)
        ],
    )
    mood = selectors.mood_per_quarter(scope, period)
    too_few = _("zu wenige Antworten")
    mood_table = Table(
        key="mood",
        title=_("Stimmungsbarometer je Vierteljahr"),
        columns=[_("Vierteljahr"), _("Durchschnitt (1–5)"), _("Antworten")],
        rows=[
            [
                quarter_label(row["quarter"]),
                row["average"] if row["enough"] else too_few,
                row["count"],
            ]
            for row in mood
        ],
        note=_("Durchschnitte erst ab %(n)s Antworten je Vierteljahr, damit niemand erkennbar ist.")
        % {"n": selectors.min_answers()},
    )
    mood_table.chart = charts.line_chart(
        chart_id="chart-mood",
        title=mood_table.title,
        description=_(
            "Linie: durchschnittliche Antwort je Vierteljahr auf einer Skala von 1 bis 5; "
            "Lücken, wo es zu wenige Antworten gab."
        ),
        labels=[quarter_label(row["quarter"]) for row in mood],
        values=[row["average"] for row in mood],
        minimum=1,
        maximum=5,
    )
    realised = selectors.realised_per_quarter(scope, period)
    realised_table = _bar_table(
        "realised",
        _("Umgesetzte Beiträge je Vierteljahr"),
        _("Balken je Vierteljahr: Zahl der Beiträge, die als umgesetzt gemeldet wurden."),
        [_("Vierteljahr"), _("umgesetzt")],
        [[quarter_label(key), count] for key, count in realised.items()],
    )
    return Section(
        key="quality",
        number=4,
        title=_("Lebensqualität"),
        question=_("Wie kann die Lebensqualität verbessert werden?"),
        tables=[weaknesses, mood_table, realised_table],
    )


def cooperation_section(scope, period):
    meetings = selectors.meetings_per_month(scope, period)
    months = sorted(meetings)
    meeting_table = Table(
        key="meetings",
        title=_("Treffen und Teilnahme pro Monat"),
        columns=[_("Monat"), _("Treffen"), _("Teilnehmende (bestätigte Anmeldungen)")],
        rows=[
            [month_label(month), meetings[month]["meetings"], meetings[month]["people"]]
            for month in months
        ],
    )
    meeting_table.chart = charts.stacked_bar_chart(
        chart_id="chart-meetings",
        title=meeting_table.title,
        description=_(
            "Säulen je Monat: Zahl der Personen mit bestätigter Anmeldung bei stattgefundenen "
            "Treffen (insgesamt %(people)s bei %(meetings)s Treffen)."
        )
        % {
            "people": sum(row["people"] for row in meetings.values()),
            "meetings": sum(row["meetings"] for row in meetings.values()),
        },
        categories=[short_month_label(month) for month in months],
        series=[
            charts.Series(
                name=_("Teilnehmende"),
                values=[meetings[month]["people"] for month in months],
                colour=charts.PALETTE[0],
            )
        ],
    )
    kinds = _bar_table(
        "partner-kinds",
        _("Aktive Netzwerkpartner nach Art"),
        _("Balken je Art: Zahl der aktiven Partner im Gebiet."),
        [_("Art"), _("Partner")],
        [[label, count] for _kind, label, count in network.partner_kind_counts(scope.area_ids)],
    )
    new_partners = Table(
        key="new-partners",
        title=_("Neue Netzwerkpartner im Zeitraum"),
        columns=[_("Partner"), _("Art"), _("Aktiv seit")],
        rows=[
            list(row)
            for row in network.new_partners_in_period(scope.area_ids, period.start, period.end)
        ],
    )
    new_cooperations = Table(
        key="new-cooperations",
        title=_("Neue Kooperationen im Zeitraum"),
        columns=[_("Kooperation"), _("Art"), _("Seit")],
        rows=[
            list(row)
            for row in network.new_cooperations_in_period(scope.area_ids, period.start, period.end)
        ],
    )
    handled = network.join_requests_handled(scope.area_ids, period.start_at, period.end_at)
    join_table = _bar_table(
        "join-requests",
        _("Bearbeitete Aufnahmeanfragen"),
        _("Balken: aufgenommene und abgelehnte Anfragen im Zeitraum."),
        [_("Entscheidung"), _("Anfragen")],
        [[_("aufgenommen"), handled["accepted"]], [_("abgelehnt"), handled["declined"]]],
    )
    return Section(
        key="cooperation",
        number=5,
        title=_("Zusammenarbeit"),
        question=_("Wie können Bewohnerschaft, Verwaltung und Partner zusammenarbeiten?"),
        tables=[meeting_table, kinds, new_partners, new_cooperations, join_table],
    )


def responsiveness_section(scope, period):
    figures = selectors.responsiveness(scope, period)
    share = round(100 * figures["answered"] / figures["public"], 1) if figures["public"] else None
    answers = Table(
        key="responsiveness",
        title=_("Antworten des Quartiersteams"),
        columns=[_("Kennzahl"), _("Wert")],
        rows=[
            [_("öffentliche Beiträge im Zeitraum"), figures["public"]],
            [_("davon mit mindestens einer Antwort"), figures["answered"]],
            [_("Anteil beantwortet (%)"), share],
            [_("Median: Tage bis zur ersten Antwort"), figures["median_days"]],
        ],
    )
    funnel = selectors.status_funnel(scope, period)
    funnel_table = _bar_table(
        "funnel",
        _("Was aus den Beiträgen wurde"),
        _("Balken je Stufe: eingegangen, veröffentlicht, geplant, umgesetzt."),
        [_("Stufe"), _("Beiträge")],
        [
            [_("eingegangen (bestätigt)"), funnel["received"]],
            [_("veröffentlicht"), funnel["published"]],
            [_("geplant"), funnel["planned"]],
            [_("umgesetzt"), funnel["realised"]],
        ],
    )
    funnel_table.note = _(
        "Jede Stufe zählt die Beiträge, die sie erreicht oder überschritten haben."
    )
    offices = Table(
        key="offices",
        title=_("Antworten der Ämter"),
        columns=[
            _("Amt"),
            _("Anfragen"),
            _("beantwortet"),
            _("Median: Tage bis zur Antwort"),
            _("überfällig"),
        ],
        rows=responsiveness_per_office(
            area_ids=scope.area_ids, start=period.start_at, end=period.end_at
        ),
        note=_("Anfragen, die im Zeitraum an ein Amt weitergeleitet wurden."),
    )
    return Section(
        key="responsiveness",
        number=None,
        title=_("Antwortbereitschaft"),
        question=_("Wie schnell und wie oft antwortet das Quartiersteam?"),
        tables=[answers, funnel_table, offices],
    )


SECTION_BUILDERS = [
    topics_section,
    identification_section,
    lifeworlds_section,
    quality_section,
    cooperation_section,
    responsiveness_section,
]


_registered_builders = {}


def register_report_section(key, builder):
    """A feature adds a section after the guiding questions: `builder(scope, period)` returns a
    `Section` (or None to leave it out). Called from a feature's hooks.py; the key makes a second
    call replace the first instead of adding the section twice."""
    _registered_builders[key] = builder


def build_report(scope, period):
    builders = [*SECTION_BUILDERS, *_registered_builders.values()]
    sections = [builder(scope, period) for builder in builders]
    return Report(
        scope=scope,
        period=period,
        created=timezone.now(),
        sections=[section for section in sections if section is not None],
    )
