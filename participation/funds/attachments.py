"""Attachments to fund applications: images are re-encoded like photos (EXIF gone), PDFs are
parsed with pypdf and refused when encrypted, carrying JavaScript, actions or embedded files,
too large or too long. Only the checked bytes are stored, under a random name."""

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from quartier.images import process_image

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 30
MAX_FILES = 5
DANGEROUS_PDF_KEYS = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/OpenAction",
    b"/AA",
    b"/RichMedia",
    b"/XFA",
)

MESSAGE_TYPE = _("Bitte nur PDF-Dateien oder Fotos (JPEG, PNG, WebP) anhängen.")
MESSAGE_PDF_SIZE = _("Die PDF-Datei ist größer als 10 MB.")
MESSAGE_PDF_BROKEN = _("Die PDF-Datei ist beschädigt oder keine echte PDF-Datei.")
MESSAGE_PDF_ENCRYPTED = _("Die PDF-Datei ist verschlüsselt. Bitte ohne Passwortschutz hochladen.")
MESSAGE_PDF_ACTIVE = _(
    "Die PDF-Datei enthält Skripte, Aktionen oder eingebettete Dateien "
    "und wird deshalb nicht angenommen."
)
MESSAGE_PDF_PAGES = _("Die PDF-Datei hat mehr als %(pages)d Seiten.") % {"pages": MAX_PDF_PAGES}
MESSAGE_TOO_MANY = _("Höchstens %(n)d Dateien je Antrag.") % {"n": MAX_FILES}


@dataclass
class CheckedFile:
    content: ContentFile
    content_type: str
    original_name: str


def _original_name(uploaded):
    name = (getattr(uploaded, "name", "") or "datei").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200] or "datei"


def check_pdf(data):
    if len(data) > MAX_PDF_BYTES:
        raise ValidationError(MESSAGE_PDF_SIZE, code="too_large")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")
    if any(key in data for key in DANGEROUS_PDF_KEYS):
        raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(MESSAGE_PDF_ENCRYPTED, code="encrypted")
        pages = len(reader.pages)
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        if any(key in root for key in ("/OpenAction", "/AA")) or any(
            key in names for key in ("/JavaScript", "/EmbeddedFiles")
        ):
            raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
        # Compressed object streams may hide keys from the byte scan: look into every page.
        for page in reader.pages:
            if "/AA" in page:
                raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and action.get_object().get("/S") in (
                    "/JavaScript",
                    "/Launch",
                ):
                    raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, OSError, RecursionError):
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken") from None
    if pages < 1:
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")
    if pages > MAX_PDF_PAGES:
        raise ValidationError(MESSAGE_PDF_PAGES, code="pages")


def check_attachment(uploaded):
    """A CheckedFile for an uploaded PDF or image, or ValidationError with a clear message."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_PDF_BYTES:
        raise ValidationError(
            MESSAGE_PDF_SIZE if _original_name(uploaded).lower().endswith(".pdf") else MESSAGE_TYPE,
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    original = _original_name(uploaded)
    if head.startswith(b"%PDF-"):
        data = uploaded.read(MAX_PDF_BYTES + 1)
        check_pdf(data)
        return CheckedFile(
            ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf", original
        )
    if original.lower().endswith(".pdf"):
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")
    try:
        processed = process_image(uploaded)
    except ValidationError as error:
        if error.code == "not_image":
            raise ValidationError(MESSAGE_TYPE, code="type") from None
        raise
    return CheckedFile(processed.image, "image/jpeg", original)
