"""Uploaded photos: verified by Pillow (JPEG, PNG, WebP only), re-encoded without EXIF.

Only the JPEG, PNG and WebP decoders ever run on an upload. A photo is accepted only when
Pillow could verify it and decode it completely; it is stored as a new JPEG (longest side
at most 2000 px, orientation applied, all metadata — above all GPS — dropped) plus a
thumbnail, both under random file names.
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
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
THUMB_SIDE = 400
ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]

MESSAGE_TOO_LARGE = _("Das Foto ist größer als 10 MB. Bitte wählen Sie ein kleineres Foto.")
MESSAGE_NOT_IMAGE = _(
    "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP. Bitte wählen Sie ein solches Foto."
)
MESSAGE_BROKEN = _("Das Foto ist beschädigt oder unvollständig. Bitte wählen Sie ein anderes Foto.")
MESSAGE_TOO_MANY_PIXELS = _(
    "Das Foto hat zu viele Bildpunkte (höchstens 40 Megapixel). Bitte verkleinern Sie es."
)


@dataclass
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image, max_side):
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), copy.size


def _flatten(image):
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


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
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(MESSAGE_TOO_MANY_PIXELS, code="too_many_pixels")
                probe.verify()
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
            image.load()
            image = ImageOps.exif_transpose(image)
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
