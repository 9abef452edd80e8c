"""QR codes as inline SVG, made on the server by segno (nothing is loaded from elsewhere)."""

import segno
from django.utils.safestring import mark_safe


def qr_matrix(url):
    """The code's modules for `url` (rows of 0/1), the same code `qr_svg` draws."""
    return segno.make(url, error="m").matrix


def qr_svg(url, *, title, **options):
    """`url` as an inline `<svg role="img">` QR code named by `title`; `options` are segno's
    (scale, border, svgclass, omitsize, light …)."""
    options = {"scale": 4, "light": "#fff", **options}
    svg = segno.make(url, error="m").svg_inline(title=str(title), **options)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's own SVG
