import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from quartier.images import MAX_UPLOAD_BYTES, process_image

from .helpers import jpeg_with_gps, upload


def test_jpeg_is_reencoded_without_exif_and_with_thumbnail():
    processed = process_image(upload(jpeg_with_gps((3000, 1500))))
    stored = Image.open(BytesIO(processed.image.read()))
    assert stored.format == "JPEG"
    assert max(stored.size) == 2000
    assert not stored.getexif()
    assert "exif" not in stored.info
    thumb = Image.open(BytesIO(processed.thumbnail.read()))
    assert max(thumb.size) == 400
    assert processed.image.name.endswith(".jpg") and len(processed.image.name) == 36


def test_png_with_alpha_and_webp_are_accepted():
    for fmt, mode in (("PNG", "RGBA"), ("WEBP", "RGB")):
        buffer = BytesIO()
        Image.new(mode, (50, 40)).save(buffer, format=fmt)
        assert process_image(upload(buffer.getvalue(), name=f"x.{fmt.lower()}")).width == 50


def _message(data, name="foto.jpg"):
    with pytest.raises(ValidationError) as info:
        process_image(upload(data, name=name))
    return " ".join(info.value.messages)


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "kein Foto" in _message(svg, name="bild.svg")


def test_text_named_jpg_is_refused():
    assert "kein Foto" in _message(b"Hallo, ich bin kein Bild." * 10)


def test_other_pillow_formats_are_refused():
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    assert "kein Foto" in _message(buffer.getvalue(), name="a.jpg")


def test_truncated_jpeg_is_refused():
    data = jpeg_with_gps()
    assert "beschädigt" in _message(data[: len(data) // 2])


def _png_claiming(width, height):
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [7000, 10000, 20000, 100000])
def test_decompression_bomb_is_refused(side):
    assert "Bildpunkte" in _message(_png_claiming(side, side), name="bomb.png")


def test_too_large_file_is_refused():
    assert "10 MB" in _message(b"\xff\xd8" + b"0" * MAX_UPLOAD_BYTES)
