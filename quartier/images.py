"""Uploaded photos: verified by Pillow (JPEG, PNG, WebP only), re-encoded without EXIF.

Only the JPEG, PNG and WebP decoders ever run on an upload. A photo is accepted only when
Pillow could verify it and decode it completely; it is stored as a new JPEG (longest side
at most 2000 px, orientation applied, all metadata — above all GPS — dropped) plus a
thumbnail, both under random file names.

Memory: the pixel count is checked from the file's header, before anything is decoded (a
154 KB PNG of 6,300 × 6,300 pixels used to take 500 MB while being decoded). A JPEG is
decoded at 1/2, 1/4 or 1/8 of its size when that is still at least 2000 px (the decoder's
own reduced mode), so it may have up to MAX_PIXELS; PNG and WebP can only be decoded whole
(4 bytes and more per pixel), so they may have MAX_PIXELS_DECODED_WHOLE. The worst case of
each (a progressive JPEG, an RGBA PNG, a WebP) stays below about 170 MB of worker memory
(tests/security/test_uploads.py measures it).
"""

import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 24_000_000  # JPEG (6000 × 4000)
MAX_PIXELS_DECODED_WHOLE = 8_000_000  # PNG and WebP (3264 × 2448)
MAX_SIDE = 2000
THUMB_SIDE = 400
ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]

MESSAGE_TOO_LARGE = _("Das Foto ist größer als 10 MB. Bitte wählen Sie ein kleineres Foto.")
MESSAGE_NOT_IMAGE = _(
    "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP. Bitte wählen Sie ein solches Foto."
)
MESSAGE_BROKEN = _("Das Foto ist beschädigt oder unvollständig. Bitte wählen Sie ein anderes Foto.")
MESSAGE_TOO_MANY_PIXELS = _(
    "Das Foto hat zu viele Bildpunkte (JPEG höchstens 24 Megapixel, PNG und WebP höchstens "
    "8 Megapixel). Bitte verkleinern Sie es."
)
HELP_TEXT = _(
    "JPEG, PNG oder WebP, höchstens 10 MB; JPEG bis 24 Megapixel, PNG und WebP bis 8 "
    "Megapixel. Ortsangaben im Foto werden entfernt."
)


@dataclass
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image, max_side):
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), image.size


def _flatten(image):
    if image.mode in ("RGBA", "LA", "P"):
        if image.mode != "RGBA":
            image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _check_pixels(image):
    limit = MAX_PIXELS if image.format == "JPEG" else MAX_PIXELS_DECODED_WHOLE
    if image.width * image.height > limit:
        raise ValidationError(MESSAGE_TOO_MANY_PIXELS, code="too_many_pixels")


def _decode_reduced(image):
    """Decode completely, but no larger than needed for MAX_SIDE: a JPEG is decoded at 1/2,
    1/4 or 1/8 of its size by the decoder itself (draft), any image is reduced in place
    right after decoding, so at most one full-size copy exists at any time."""
    scale = MAX_SIDE / max(image.size)
    if scale < 1:
        image.draft(None, (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    image.load()
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def process_image(uploaded):
    """Verify and re-encode an uploaded file; raise ValidationError with a German message."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(MESSAGE_TOO_LARGE, code="too_large")
    uploaded.seek(0)
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(MESSAGE_TOO_LARGE, code="too_large")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                _check_pixels(probe)  # from the header, before anything is decoded
                probe.verify()
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
            image = _decode_reduced(image)
            ImageOps.exif_transpose(image, in_place=True)
            image = _flatten(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(MESSAGE_TOO_MANY_PIXELS, code="too_many_pixels") from None
        except UnidentifiedImageError:
            raise ValidationError(MESSAGE_NOT_IMAGE, code="not_image") from None
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, TypeError, EOFError):
            raise ValidationError(MESSAGE_BROKEN, code="broken") from None
    name = uuid.uuid4().hex
    full, (width, height) = _encode(image, MAX_SIDE)
    thumb, _size = _encode(image, THUMB_SIDE)
    return ProcessedImage(
        image=ContentFile(full, name=f"{name}.jpg"),
        thumbnail=ContentFile(thumb, name=f"{name}-thumb.jpg"),
        width=width,
        height=height,
    )


def delete_files(*fields):
    """Delete the stored files of the given FieldFile objects (missing files are fine)."""
    for field in fields:
        if field and field.name:
            field.storage.delete(field.name)
