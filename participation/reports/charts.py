"""Accessible charts as server-rendered SVG: no JavaScript, no external assets.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; the
figures themselves are always also in a table beside the chart (the text alternative), so the
graphics inside are hidden from assistive technology. Numbers are written with a decimal point
whatever the active language (SVG coordinates), labels are escaped.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

PALETTE = ["#1d5b79", "#2e7d4f", "#b3261e", "#8a5a00", "#6b3fa0", "#0f6b6b", "#a3336b", "#3d4f5c"]
TEXT = "#1f2933"
GRID = "#cbd2d9"


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    colour: str


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id, title, description, width, height):
    return format_html(
        '<svg class="report-chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
    )


def _nice_max(value):
    """A round upper end for the value axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _label(text, limit=26):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, chart_id, title, description, items, width=640):
    """Horizontal bars: `items` is [(label, value)]; long labels fit on the left."""
    bar, gap, left, right, top = 22, 8, 200, 60, 10
    height = top * 2 + max(len(items), 1) * (bar + gap)
    maximum = _nice_max(max((value or 0 for _, value in items), default=0))
    scale = (width - left - right) / maximum
    parts = [_open(chart_id, title, description, width, height), '<g aria-hidden="true">']
    for index, (label, value) in enumerate(items):
        y = top + index * (bar + gap)
        length = (value or 0) * scale
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="13">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="13">{}</text>',
                left - 8,
                _num(y + bar * 0.72),
                TEXT,
                _label(label),
                left,
                y,
                _num(max(length, 1)),
                bar,
                PALETTE[0],
                _num(left + length + 6),
                _num(y + bar * 0.72),
                TEXT,
                _num(value or 0),
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def stacked_bar_chart(*, chart_id, title, description, categories, series, width=640):
    """Vertical bars per category (e.g. month), stacked by `series` ([Series]), with a legend."""
    left, right, top, bottom, legend = 44, 12, 12, 46, 24
    plot_height = 200
    height = top + plot_height + bottom + legend * ((len(series) + 2) // 3)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    maximum = _nice_max(max(totals, default=0))
    slot = (width - left - right) / max(len(categories), 1)
    bar = min(slot * 0.7, 48)
    base = top + plot_height
    parts = [_open(chart_id, title, description, width, height), '<g aria-hidden="true">']
    for tick in (0, maximum / 2, maximum):
        y = base - tick / maximum * plot_height
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="12">{}</text>',
                left,
                _num(y),
                width - right,
                _num(y),
                GRID,
                left - 6,
                _num(y + 4),
                TEXT,
                _num(tick),
            )
        )
    for index, category in enumerate(categories):
        x = left + index * slot + (slot - bar) / 2
        y = base
        for entry in series:
            value = entry.values[index] or 0
            if not value:
                continue
            size = value / maximum * plot_height
            y -= size
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _num(x),
                    _num(y),
                    _num(bar),
                    _num(size),
                    entry.colour,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                _num(x + bar / 2),
                base + 16,
                TEXT,
                _label(category, 10),
            )
        )
    for index, entry in enumerate(series):
        x = left + (index % 3) * 190
        y = base + bottom - 6 + (index // 3) * legend
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="13">{}</text>',
                x,
                y - 11,
                entry.colour,
                x + 20,
                y,
                TEXT,
                _label(entry.name, 24),
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def line_chart(*, chart_id, title, description, labels, values, minimum=0, maximum=None):
    """A line over time; `None` values leave a gap (e.g. too few answers to show)."""
    width, left, right, top, bottom, plot_height = 640, 44, 16, 12, 40, 180
    height = top + plot_height + bottom
    known = [value for value in values if value is not None]
    maximum = maximum if maximum is not None else _nice_max(max(known, default=0))
    span = (maximum - minimum) or 1
    step = (width - left - right) / max(len(labels) - 1, 1)
    base = top + plot_height
    parts = [_open(chart_id, title, description, width, height), '<g aria-hidden="true">']
    for tick in (minimum, (minimum + maximum) / 2, maximum):
        y = base - (tick - minimum) / span * plot_height
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="12">{}</text>',
                left,
                _num(y),
                width - right,
                _num(y),
                GRID,
                left - 6,
                _num(y + 4),
                TEXT,
                _num(tick),
            )
        )
    segment = []
    segments = []
    for index, value in enumerate(values):
        x = left + index * step
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        y = base - (value - minimum) / span * plot_height
        segment.append((x, y))
    if segment:
        segments.append(segment)
    for points in segments:
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"/>', path, PALETTE[0]
            )
        )
        for x, y in points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}"/>', _num(x), _num(y), PALETTE[0]
                )
            )
    for index, label in enumerate(labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                _num(left + index * step),
                base + 18,
                TEXT,
                _label(label, 12),
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
