"""Attachments to fund applications: images are re-encoded like photos (EXIF gone), PDFs are
parsed with pypdf and refused when encrypted, carrying JavaScript, actions or embedded files
(in any object, also behind #-escaped names or in compressed object streams), too large, too
long (the page tree is walked by hand, loops refused) or inflating to a bomb (Flate streams are
inflated chunk by chunk and only counted). Only the checked bytes are stored, under a random
name."""

import uuid
import zlib
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from quartier.images import process_image

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 30
MAX_PDF_INFLATED_BYTES = 100 * 1024 * 1024  # all Flate streams together, inflated
MAX_PDF_OBJECTS = 50_000
# Bytes outside the streams' data: what pypdf parses token by token (slowly, some 100 KB a
# second for a hostile array); a real 30-page document needs far less.
MAX_PDF_STRUCTURE_BYTES = 512 * 1024
MAX_PAGE_TREE_NODES = 1_000
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
# The same as names, as pypdf reads them (with #xx escapes decoded), as keys or values.
DANGEROUS_PDF_NAMES = frozenset(key.decode() for key in DANGEROUS_PDF_KEYS) | {"/EmbeddedFiles"}

MESSAGE_TYPE = _("Bitte nur PDF-Dateien oder Fotos (JPEG, PNG, WebP) anhängen.")
MESSAGE_PDF_SIZE = _("Die PDF-Datei ist größer als 10 MB.")
MESSAGE_PDF_BROKEN = _("Die PDF-Datei ist beschädigt oder keine echte PDF-Datei.")
MESSAGE_PDF_ENCRYPTED = _("Die PDF-Datei ist verschlüsselt. Bitte ohne Passwortschutz hochladen.")
MESSAGE_PDF_ACTIVE = _(
    "Die PDF-Datei enthält Skripte, Aktionen oder eingebettete Dateien "
    "und wird deshalb nicht angenommen."
)
MESSAGE_PDF_BOMB = _(
    "Die PDF-Datei würde sich beim Öffnen auf mehr als 100 MB entpacken "
    "und wird deshalb nicht angenommen."
)
MESSAGE_PDF_COMPLEX = _(
    "Die PDF-Datei ist zu verschachtelt aufgebaut. Bitte neu als PDF speichern "
    "(zum Beispiel mit „Drucken als PDF“) und noch einmal hochladen."
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


def _structure_bytes(data):
    """The bytes of the file outside the data of its streams."""
    total = position = 0
    while True:
        start = data.find(b"stream", position)
        end = data.find(b"endstream", start) if start >= 0 else -1
        if end < 0:
            return total + len(data) - position
        total += start - position
        position = end + len(b"endstream")


def _count_pages(reader):
    """The number of pages, found by walking the page tree by hand: a loop, a shared node or a
    tree far larger than the page limit is refused before pypdf flattens it."""
    from pypdf.generic import IndirectObject

    pages = reader.trailer["/Root"].get_object()["/Pages"]
    count = pages.get_object().get("/Count", 0)
    if isinstance(count, int) and count > MAX_PDF_PAGES:
        raise ValidationError(MESSAGE_PDF_PAGES, code="pages")
    leaves, seen, pending = 0, set(), [pages]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")
            seen.add((node.idnum, node.generation))
        node = node.get_object()
        if "/Kids" in node:
            pending.extend(node["/Kids"].get_object())
            if len(pending) + len(seen) > MAX_PAGE_TREE_NODES:
                raise ValidationError(MESSAGE_PDF_PAGES, code="pages")
        else:
            leaves += 1
            if leaves > MAX_PDF_PAGES:
                raise ValidationError(MESSAGE_PDF_PAGES, code="pages")
    return leaves


def _inflated_size(raw, budget):
    """How many bytes a Flate stream inflates to, counted up to `budget` + 1 a chunk at a time
    (never held whole); a broken stream counts what it gave."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        while raw and total <= budget:
            total += len(inflater.decompress(raw, 1024 * 1024))
            raw = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return total


def _check_objects(reader):
    """Every object of the file (from the cross-reference table, so also unreferenced ones and
    those in object streams): no dangerous name as a key or value, and all Flate streams
    together inflate to at most MAX_PDF_INFLATED_BYTES."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
    )

    numbers = {(idnum, generation) for generation, table in reader.xref.items() for idnum in table}
    numbers |= {(idnum, 0) for idnum in reader.xref_objStm}
    if len(numbers) > MAX_PDF_OBJECTS:
        raise ValidationError(MESSAGE_PDF_COMPLEX, code="complex")
    budget = MAX_PDF_INFLATED_BYTES
    pending = [reader.trailer]
    for idnum, generation in sorted(numbers):
        pending.append(reader.get_object(IndirectObject(idnum, generation, reader)))
        while pending:
            item = pending.pop()
            if isinstance(item, NameObject) and item in DANGEROUS_PDF_NAMES:
                raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
            if isinstance(item, ArrayObject):
                pending.extend(item)
            elif isinstance(item, DictionaryObject):
                for key, value in item.items():
                    if key in DANGEROUS_PDF_NAMES:
                        raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
                    pending.append(value)
                if isinstance(item, StreamObject) and _is_flate(item.get("/Filter")):
                    budget -= _inflated_size(getattr(item, "_data", b""), budget)
                    if budget < 0:
                        raise ValidationError(MESSAGE_PDF_BOMB, code="bomb")


def _is_flate(filters):
    if isinstance(filters, list) and filters:
        filters = filters[0]
    return filters in ("/FlateDecode", "/Fl")


def check_pdf(data):
    if len(data) > MAX_PDF_BYTES:
        raise ValidationError(MESSAGE_PDF_SIZE, code="too_large")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")
    if any(key in data for key in DANGEROUS_PDF_KEYS):
        raise ValidationError(MESSAGE_PDF_ACTIVE, code="active")
    if _structure_bytes(data) > MAX_PDF_STRUCTURE_BYTES:
        raise ValidationError(MESSAGE_PDF_COMPLEX, code="complex")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(MESSAGE_PDF_ENCRYPTED, code="encrypted")
        pages = _count_pages(reader)
        _check_objects(reader)
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, OSError, RecursionError):
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken") from None
    if pages < 1:
        raise ValidationError(MESSAGE_PDF_BROKEN, code="broken")


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
