"""Hostile PDFs attached to a fund application (participation.funds.attachments): each gets a
clear German form error, nothing is saved, and checking it costs bounded memory — a
compression bomb is inflated a chunk at a time and only counted, a page tree is walked by hand.

The files are written in the test, by hand (a classic cross-reference table) or with pypdf;
names written with #xx escapes (`/Java#53cript` is `/JavaScript` to every reader) hide the
dangerous keys from a plain byte scan, so only the parsed check finds them."""

import io
import tracemalloc
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from participation.funds.attachments import check_pdf
from participation.funds.models import Attachment, FundApplication
from tests.participation.fund_factories import make_fund
from tests.participation.test_funds_pages import apply_url, form_data

pytestmark = pytest.mark.django_db

BROKEN = "beschädigt oder keine echte PDF"
ACTIVE = "Skripte, Aktionen oder eingebettete Dateien"
PAGES = "mehr als 30 Seiten"
BOMB = "auf mehr als 100 MB entpacken"
COMPLEX = "zu verschachtelt aufgebaut"
ENCRYPTED = "verschlüsselt"


def pdf(*objects, root=1):
    """A PDF of the given object bodies (numbered from 1) with a classic xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES_NODE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] %s>>"


def one_page(page_extra=b"", catalog=CATALOG, *more):
    return pdf(catalog, PAGES_NODE, PAGE % page_extra, *more)


def compression_bomb(megabytes=300):
    """A page whose content stream is 300 MB of zeros, deflated to about 300 KB."""
    deflate = zlib.compressobj(9)
    data = b"".join(deflate.compress(bytes(1_000_000)) for _ in range(megabytes))
    data += deflate.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return one_page(b"/Contents 4 0 R ", CATALOG, stream)


def page_tree(kids, count):
    return pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * kids), count),
        PAGE % b"",
    )


def pypdf_file(pages=1, **encrypt):
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(**encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    return buffer.getvalue()


LAUNCH_ANNOT = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Laun#63h /F (cmd) >> >>"
WIDGET_AA = b"<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /A#41 << /O 5 0 R >> >>"
JS_ACTION = b"<< /S /Java#53cript /J#53 (app.alert(1)) >>"
HOSTILE = {
    "compression bomb (300 MB of zeros in 300 KB)": (compression_bomb(), BOMB),
    "page count of ten million": (page_tree(kids=1, count=10_000_000), PAGES),
    "page count that lies: 40 pages, /Count 1": (
        pdf(
            CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count 1 >>"
            % b" ".join(b"%d 0 R" % number for number in range(3, 43)),
            *[PAGE % b""] * 40,
        ),
        PAGES,
    ),
    "one page as 500 kids": (page_tree(kids=500, count=1), BROKEN),
    "200,000 pages in one page tree node": (page_tree(kids=200_000, count=1), COMPLEX),
    "page tree loop": (
        pdf(
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ),
        BROKEN,
    ),
    "page tree node that is its own kid": (
        pdf(CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        BROKEN,
    ),
    "encrypted, empty user password (RC4)": (
        pypdf_file(user_password="", owner_password="x", algorithm="RC4-128"),
        ENCRYPTED,
    ),
    "encrypted, AES-256": (pypdf_file(user_password="geheim", algorithm="AES-256"), ENCRYPTED),
    "open action with JavaScript behind #-escaped names": (
        one_page(b"", b"<< /Type /Catalog /Pages 2 0 R /Open#41ction %s >>" % JS_ACTION),
        ACTIVE,
    ),
    "link annotation with an escaped launch action": (
        one_page(b"/Annots [4 0 R] ", CATALOG, LAUNCH_ANNOT),
        ACTIVE,
    ),
    "form field with escaped additional actions": (
        one_page(b"/Annots [4 0 R] ", CATALOG, WIDGET_AA, JS_ACTION),
        ACTIVE,
    ),
    "bookmark running JavaScript": (
        one_page(
            b"",
            b"<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
            b"<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>",
            b"<< /Title (Start) /Parent 4 0 R /A %s >>" % JS_ACTION,
        ),
        ACTIVE,
    ),
    "embedded file behind an unreferenced object": (
        one_page(b"", CATALOG, b"<< /Type /Embedded#46ile /Length 0 >>\nstream\n\nendstream"),
        ACTIVE,
    ),
    "a PNG renamed .pdf": (png_bytes(), BROKEN),
    "an HTML page renamed .pdf": (b"<html><script>alert(1)</script></html>", BROKEN),
    "%PDF- header followed by HTML": (b"%PDF-1.7\n<html><script>alert(1)</script>", BROKEN),
    "no pages at all": (pdf(CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"), BROKEN),
}


@pytest.mark.parametrize("content, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_pdf_gets_a_form_error_and_nothing_is_saved(client, content, message):
    fund = make_fund()
    upload = SimpleUploadedFile("angebot.pdf", content, content_type="application/pdf")
    response = client.post(apply_url(fund), form_data(fund, attachments=[upload]))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert not FundApplication.objects.exists()
    assert not Attachment.objects.exists()


def test_the_compression_bomb_is_checked_in_bounded_memory():
    bomb = compression_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match=BOMB):
            check_pdf(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_plain_pdf_with_a_compressed_page_passes():
    text = zlib.compress(b"BT /F1 12 Tf 20 100 Td (Kostenplan) Tj ET")
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(text), text)
    check_pdf(one_page(b"/Contents 4 0 R ", CATALOG, stream))
    check_pdf(pypdf_file(pages=30))
