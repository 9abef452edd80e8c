"""Helpers for participation tests: areas, ideas and real image files made with Pillow."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from participation.ideas.models import Idea, IdeaStatus
from participation.topics.models import Topic
from tests.factories import make_area, square


def point(lng, lat):
    return {"type": "Point", "coordinates": [lng, lat]}


def ensure_topic():
    """Topics come from a data migration, which transactional tests flush away."""
    return Topic.objects.first() or Topic.objects.create(name="Verkehr", slug="verkehr")


def two_areas():
    ensure_topic()
    north = make_area("Nordstadt", boundary=square(7.46, 51.51))
    south = make_area("Südstadt", boundary=square(7.46, 51.49))
    return north, south


def make_idea(area, *, status=IdeaStatus.PUBLISHED, title="Mehr Bänke", **extra):
    lng, lat = area.boundary["coordinates"][0][0] if area.boundary else (7.0, 51.0)
    defaults = {
        "kind": "idea",
        "text": "Am Platz fehlen Bänke.",
        "topic": ensure_topic(),
        "location": point(lng + 0.005, lat + 0.005) if area.boundary else None,
        "author_name": "Erika",
        "author_email": "erika@example.org",
        "confirmed_at": timezone.now(),
    }
    defaults.update(extra)
    return Idea.objects.create(area=area, status=status, title=title, **defaults)


def jpeg_with_gps(size=(800, 600)):
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    gps[3] = "E"
    gps[4] = (7.0, 28.0, 0.0)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
