"""The mood picture as a server-rendered SVG chart: per quarter (and the city) this and the
previous quarter-year on the 1–5 scale. No JavaScript; the same figures are in the table
beside it (the text alternative), so the drawing itself is hidden from assistive technology."""

from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, LEFT, RIGHT, TOP, BAR, GAP, ROW_GAP = 520, 120, 44, 34, 15, 3, 14
NOW, BEFORE, TEXT, GRID = "#1d5b79", "#9ec5dc", "#1f2933", "#cbd2d9"


def _x(score):
    return LEFT + (score - 1) / 4 * (WIDTH - LEFT - RIGHT)


def _n(value):
    return f"{value:.1f}"


def _bar(y, figure, colour):
    if figure.average is None:
        return format_html(
            '<text x="{}" y="{}" fill="{}" font-size="12" font-style="italic">{}</text>',
            LEFT + 4,
            _n(y + BAR - 3),
            TEXT,
            _("zu wenige Antworten"),
        )
    end = _x(figure.average)
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
        LEFT,
        _n(y),
        _n(max(end - LEFT, 2)),
        BAR,
        colour,
        _n(end + 5),
        _n(y + BAR - 3),
        TEXT,
        floatformat(figure.average, 1),
    )


def mood_chart(picture, *, chart_id="mood-chart"):
    """`picture` from `selectors.mood_picture()`."""
    rows = [(row["area"].name, row["now"], row["before"]) for row in picture["rows"]]
    rows.append((_("Ganze Stadt"), picture["city"]["now"], picture["city"]["before"]))
    row_height = 2 * BAR + GAP + ROW_GAP
    height = TOP + len(rows) * row_height + 30
    title = _("Stimmung je Quartier: %(now)s und %(before)s") % {
        "now": picture["period"].label,
        "before": picture["previous"].label,
    }
    description = _(
        "Durchschnitt von 1 (gar nicht wohl) bis 5 (sehr wohl). Die Werte stehen auch in der "
        "Tabelle."
    )
    parts = [
        format_html(
            '<svg class="mood-chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'xmlns="http://www.w3.org/2000/svg" role="img" '
            'aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{t}</title>'
            '<desc id="{id}-desc">{d}</desc><g aria-hidden="true">',
            id=chart_id,
            w=WIDTH,
            h=height,
            t=title,
            d=description,
        )
    ]
    for score in range(1, 6):
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="{grid}"/>'
                '<text x="{x}" y="{label}" text-anchor="middle" fill="{text}" '
                'font-size="12">{score}</text>',
                x=_n(_x(score)),
                top=TOP - 6,
                bottom=height - 30,
                grid=GRID,
                label=TOP - 12,
                text=TEXT,
                score=score,
            )
        )
    for index, (name, now, before) in enumerate(rows):
        y = TOP + index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="13">{}</text>',
                LEFT - 8,
                _n(y + BAR + 4),
                TEXT,
                name if len(name) <= 16 else name[:15] + "…",
            )
        )
        parts.append(_bar(y, before, BEFORE))
        parts.append(_bar(y + BAR + GAP, now, NOW))
    legend_y = height - 12
    legend = [(LEFT, BEFORE, picture["previous"].label), (LEFT + 170, NOW, picture["period"].label)]
    parts.append(
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
            [
                (x, legend_y - 10, colour, x + 16, legend_y, TEXT, label)
                for x, colour, label in legend
            ],
        )
    )
    parts.append(mark_safe("</g></svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - parts escaped above
