"""Uploaded photos on shared storage (MEDIA_STORAGE=s3, django-storages) against moto's S3
server started by the test run: stored re-encoded without GPS, served from the bucket,
replaced and deleted there; local disk stays the default."""

import urllib.request
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from participation.ideas import services
from participation.ideas.models import IdeaStatus
from quartier.settings import media_storage
from tests.factories import make_manager, make_user
from tests.participation.helpers import jpeg_with_gps, make_idea, two_areas, upload

pytestmark = pytest.mark.django_db


def submit_with_photo(area):
    return services.idea_submit(
        kind="idea",
        title="Foto im Eimer",
        text="Mit Foto",
        topic=make_idea(area).topic,
        area=area,
        photo=upload(jpeg_with_gps()),
        photo_alt="Ein Bild",
        user=make_user(),
    )


def test_local_disk_is_the_default():
    assert media_storage("local")["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    with pytest.raises(Exception, match="S3_BUCKET"):
        media_storage("s3")


def test_photo_is_stored_in_the_bucket_without_gps_and_served_from_there(s3_media):
    north, _ = two_areas()
    idea = submit_with_photo(north)
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert s3_media() == sorted([idea.photo.name, idea.thumbnail.name])
    with urllib.request.urlopen(idea.thumbnail.url, timeout=5) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "image/jpeg"
        image = Image.open(BytesIO(response.read()))
    assert image.format == "JPEG" and max(image.size) <= 400
    assert not image.getexif()  # no GPS, no other metadata


def test_replacing_and_removing_deletes_from_the_bucket(
    s3_media, django_capture_on_commit_callbacks
):
    north, _ = two_areas()
    idea = submit_with_photo(north)
    first = [idea.photo.name, idea.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_set_photo(idea=idea, photo=upload(jpeg_with_gps()))
    assert s3_media() == sorted([idea.photo.name, idea.thumbnail.name])
    assert not set(first) & set(s3_media())
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_set_photo(idea=idea, photo=None)
    assert s3_media() == []


def test_deleting_the_idea_deletes_its_files_in_the_bucket(
    s3_media, django_capture_on_commit_callbacks
):
    north, _ = two_areas()
    idea = submit_with_photo(north)
    idea.status = IdeaStatus.PUBLISHED
    idea.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_delete(idea=idea, by=make_manager(north))
    assert s3_media() == []


def test_photo_url_origin_is_allowed_by_the_csp(s3_server, monkeypatch):
    from quartier.settings import media_origins

    for name, value in s3_server.items():
        monkeypatch.setenv(name, value)
    assert media_origins(media_storage("s3")) == [s3_server["S3_ENDPOINT_URL"]]
    monkeypatch.setenv("S3_CUSTOM_DOMAIN", "bilder.example.org/quartier")
    assert media_origins(media_storage("s3")) == ["https://bilder.example.org"]
