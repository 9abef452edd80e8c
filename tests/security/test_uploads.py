"""Uploads: only re-encoded photos are stored; everything else is refused.

Photo uploads go through quartier.images.process_image (ideas are the only upload today);
tests/participation/test_images.py covers EXIF/GPS removal and broken files. Here: hostile
files — polyglots, bombs, SVG with script, huge files, path tricks in the file name.
"""

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from participation.ideas.services import idea_set_photo
from quartier.images import MAX_UPLOAD_BYTES, process_image
from tests.participation.helpers import make_idea, two_areas, upload

pytestmark = pytest.mark.django_db

HTML = b"<html><script>alert(document.cookie)</script></html>"
PHP = b"<?php system($_GET['cmd']); ?>"


def _jpeg(size=(120, 80)):
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _zip():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", PHP)
    return buffer.getvalue()


def _stored_bytes(settings, idea):
    return [
        (Path(settings.MEDIA_ROOT) / field.name).read_bytes()
        for field in (idea.photo, idea.thumbnail)
    ]


@pytest.mark.parametrize(
    "payload", [HTML, PHP, _zip(), HTML + _zip()], ids=["html", "php", "zip", "html+zip"]
)
def test_polyglot_jpeg_is_re_encoded_without_the_payload(settings, payload):
    north, _south = two_areas()
    idea = make_idea(north)
    idea_set_photo(idea=idea, photo=upload(_jpeg() + payload, name="foto.jpg"))
    for data in _stored_bytes(settings, idea):
        assert data.startswith(b"\xff\xd8")  # a JPEG
        assert b"<script" not in data and b"<?php" not in data and b"PK\x03\x04" not in data
        with Image.open(BytesIO(data)) as image:
            image.verify()


def test_decompression_bomb_is_refused():
    buffer = BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")  # 400 Mpx in a few kB
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(ValidationError):
        process_image(upload(buffer.getvalue(), name="bomb.png", content_type="image/png"))


@pytest.mark.parametrize(
    "data,name",
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "bild.svg",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bild.jpg"),
        (HTML, "foto.jpg"),
        (PHP, "foto.php.jpg"),
        (_zip(), "foto.jpg"),
        (b"GIF89a" + HTML, "foto.gif"),
    ],
    ids=["svg", "svg-as-jpg", "html-as-jpg", "php", "zip", "gif-html"],
)
def test_non_photos_are_refused(data, name):
    with pytest.raises(ValidationError):
        process_image(upload(data, name=name))


def test_huge_file_is_refused_before_decoding():
    data = _jpeg() + b"\0" * (MAX_UPLOAD_BYTES + 1)
    with pytest.raises(ValidationError) as error:
        process_image(upload(data))
    assert error.value.code == "too_large"


@pytest.mark.parametrize(
    "name", ["../../evil.jpg", "..\\..\\evil.jpg", "/etc/evil.jpg", "evil.jpg\0.php"]
)
def test_path_tricks_are_stored_under_a_random_name_inside_media(settings, name):
    north, _south = two_areas()
    idea = make_idea(north)
    idea_set_photo(idea=idea, photo=upload(_jpeg(), name=name.replace("\0", "")))
    media = Path(settings.MEDIA_ROOT).resolve()
    for field in (idea.photo, idea.thumbnail):
        stored = (media / field.name).resolve()
        assert stored.is_relative_to(media)
        assert "evil" not in field.name and ".." not in field.name
        assert stored.suffix == ".jpg"
        assert stored.exists()


def test_public_form_stores_nothing_for_an_svg(client, settings):
    north, _south = two_areas()
    from participation.topics.models import Topic

    response = client.post(
        "/ideen/neu/",
        {
            "kind": "idea",
            "title": "Mehr Bänke",
            "text": "Am Platz fehlen Bänke.",
            "topic": Topic.objects.first().pk,
            "area": north.pk,
            "author_name": "Erika",
            "author_email": "erika@example.org",
            "privacy": "on",
            "photo": upload(
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                name="bild.svg",
                content_type="image/svg+xml",
            ),
        },
    )
    assert response.status_code in {200, 400}  # the form again, with its errors
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
