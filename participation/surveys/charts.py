"""Server-rendered SVG bar charts of survey results (no JavaScript; the table beside each chart
holds the same figures, so the drawing itself is hidden from assistive technology)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WIDTH, LEFT, RIGHT, TOP, BAR, GAP = 520, 170, 60, 8, 18, 8
COLOUR, TEXT = "#1d5b79", "#1f2933"


def bar_chart(result, *, chart_id, title):
    """`result` is a `selectors.QuestionResult` with rows [(label, count)]; a count held
    back (None) gets no bar and "–"."""
    rows = result.rows
    largest = max([count or 0 for _label, count in rows] + [1])
    height = TOP + len(rows) * (BAR + GAP) + 4
    parts = [
        format_html(
            '<svg class="survey-chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title">'
            '<title id="{id}-title">{t}</title><g aria-hidden="true">',
            id=chart_id,
            w=WIDTH,
            h=height,
            t=title,
        )
    ]
    span = WIDTH - LEFT - RIGHT
    for index, (label, count) in enumerate(rows):
        y = TOP + index * (BAR + GAP)
        length = max(span * (count or 0) / largest, 1 if count else 0)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end" fill="{text}" font-size="13">{label}'
                '</text><rect x="{x}" y="{y}" width="{wd}" height="{bar}" fill="{colour}"/>'
                '<text x="{vx}" y="{ty}" fill="{text}" font-size="12">{value} %</text>',
                lx=LEFT - 8,
                ty=y + BAR - 4,
                text=TEXT,
                label=short,
                x=LEFT,
                y=y,
                wd=f"{length:.1f}",
                bar=BAR,
                colour=COLOUR,
                vx=f"{LEFT + length + 5:.1f}",
                value="–" if count is None else result.percentage(count),
            )
        )
    parts.append(mark_safe("</g></svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - parts escaped above
