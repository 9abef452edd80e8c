"""A failure after the photo was written leaves no orphan file; a rolled-back change keeps the
files its row still points to."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import reverse

from participation.ideas import services
from participation.ideas.models import Idea
from tests.factories import make_user

from .helpers import ensure_topic, jpeg_with_gps, two_areas, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings):
    def files():
        return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())

    return files


@pytest.fixture
def thumbnail_write_fails(monkeypatch):
    """The disk fills up after the photo was written, while the thumbnail is written."""
    save = FileSystemStorage._save

    def failing(self, name, content):
        if "-thumb" in name:
            raise OSError(28, "No space left on device")
        return save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing)


@pytest.fixture
def database_fails_on_save(monkeypatch):
    def failing(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Idea, "save", failing)


def submit(**extra):
    north, _south = two_areas()
    return services.idea_submit(
        kind="idea",
        title="Ein Trinkbrunnen",
        text="Im Sommer fehlt Wasser.",
        topic=ensure_topic(),
        area=north,
        photo=upload(jpeg_with_gps()),
        photo_alt="Der Markt",
        user=make_user(),
        **extra,
    )


def test_storage_failing_between_photo_and_thumbnail_leaves_no_file(thumbnail_write_fails, media):
    with pytest.raises(OSError):
        submit()
    assert media() == []
    assert not Idea.objects.exists()


def test_database_failing_after_the_files_were_written_leaves_no_file(
    database_fails_on_save, media
):
    with pytest.raises(OperationalError):
        submit()
    assert media() == []


def test_idea_form_with_failing_storage_leaves_no_file(thumbnail_write_fails, media):
    two_areas()
    client = Client(raise_request_exception=False)
    client.force_login(make_user())
    response = client.post(
        reverse("participation:idea-create"),
        {
            "kind": "idea",
            "title": "Ein Trinkbrunnen",
            "text": "Im Sommer fehlt Wasser.",
            "topic": ensure_topic().pk,
            "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
            "photo": upload(jpeg_with_gps()),
            "photo_alt": "Der Markt",
            "confirm_new": "on",
            "website": "",
        },
    )
    assert response.status_code == 500
    assert media() == []
    assert not Idea.objects.exists()


def test_replacing_the_photo_when_saving_fails_keeps_the_old_and_drops_the_new(media, request):
    idea = submit()
    before = media()
    assert len(before) == 2
    request.getfixturevalue("database_fails_on_save")
    with pytest.raises(OperationalError):
        services.idea_set_photo(idea=idea, photo=upload(jpeg_with_gps()))
    assert media() == before


def test_rolled_back_photo_removal_keeps_the_files(media, django_capture_on_commit_callbacks):
    idea = submit()
    before = media()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.idea_set_photo(idea=idea, photo=None)
        raise RuntimeError("the moderation log could not be written")
    idea.refresh_from_db()
    assert idea.photo and media() == before
