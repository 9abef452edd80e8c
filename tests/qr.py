"""Reading QR codes back in tests: the modules of segno's inline SVG path, decoded by a real
decoder (zxing-cpp, a test-only dependency)."""

import re

import zxingcpp
from PIL import Image

PATH = re.compile(r'<path class="qrline"[^>]*\sd="([^"]+)"')
STEP = re.compile(r"([Mmh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?")


def svg_modules(svg):
    """The dark modules of the first segno QR code in `svg` as a set of (row, column)."""
    path = PATH.search(svg).group(1)
    x = y = 0.0
    dark = set()
    for command, first, second in STEP.findall(path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            length = int(float(first))
            dark.update((int(y), int(x) + column) for column in range(length))
            x += length
    return dark


def decode_modules(dark, *, pixels=8, quiet=4):
    """The text of the QR code whose dark modules are `dark`, read by zxing-cpp."""
    size = max(max(row for row, _column in dark), max(column for _row, column in dark)) + 1
    grid = Image.new("L", (size + 2 * quiet, size + 2 * quiet), 255)
    for row, column in dark:
        grid.putpixel((column + quiet, row + quiet), 0)
    image = grid.resize((grid.width * pixels, grid.height * pixels), Image.Resampling.NEAREST)
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text


def decode_svg(svg):
    return decode_modules(svg_modules(svg))


def decode_image(path):
    """The text of the QR code in a PNG file (a browser screenshot)."""
    results = zxingcpp.read_barcodes(Image.open(path).convert("L"))
    assert results, "no QR code found"
    return results[0].text
