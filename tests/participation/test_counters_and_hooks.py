import threading

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from neighbourhoods.registry import area_sections, located_models
from participation.ideas import services
from participation.ideas.models import Flag, Idea, Support
from participation.ideas.personal_data import anonymise, comments, export, ideas
from participation.ideas.sections import area_ideas_context
from quartier.personal_data import providers
from tests.factories import make_area, make_user, square

from .helpers import make_idea, two_areas


@pytest.mark.django_db
def test_support_unique_constraint():
    north, _ = two_areas()
    idea = make_idea(north)
    user = make_user()
    Support.objects.create(idea=idea, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=user)


@pytest.mark.django_db
def test_counters_match_rows():
    north, _ = two_areas()
    idea = make_idea(north)
    users = [make_user() for _ in range(6)]
    for user in users:
        services.support_add(idea=idea, user=user)
        services.support_add(idea=idea, user=user, notify=True)
        services.comment_create(idea=idea, user=user, text="Ja")
    services.support_remove(idea=idea, user=users[0])
    services.support_remove(idea=idea, user=users[0])
    comment = idea.comments.first()
    manager = make_user(is_superuser=True, is_staff=True)
    services.comment_hide(comment=comment, by=manager, reason="Nein")
    services.comment_hide(comment=comment, by=manager, reason="Nochmal")
    idea.refresh_from_db()
    assert idea.support_count == Support.objects.filter(idea=idea).count() == 5
    assert idea.comment_count == idea.comments.visible().count() == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_keep_the_count_right():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the threaded check runs on PostgreSQL")
    north, _ = two_areas()
    idea = make_idea(north)
    users = [make_user() for _ in range(8)]
    errors = []

    def support(user):
        try:
            services.support_add(idea=Idea.objects.get(pk=idea.pk), user=user)
            services.support_add(idea=Idea.objects.get(pk=idea.pk), user=user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=support, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    idea.refresh_from_db()
    assert idea.support_count == 8 == Support.objects.filter(idea=idea).count()


@pytest.mark.django_db
def test_flag_threshold_hides_comment_until_decision(settings):
    settings.IDEA_FLAG_THRESHOLD = 2
    north, _ = two_areas()
    idea = make_idea(north)
    comment = services.comment_create(idea=idea, user=make_user(), text="Böse")
    services.flag_create(idea=idea, comment=comment, reporter_key="ip:a", reason="x")
    services.flag_create(idea=idea, comment=comment, reporter_key="ip:a", reason="x")
    comment.refresh_from_db()
    assert not comment.is_hidden
    services.flag_create(idea=idea, comment=comment, reporter_key="ip:b", reason="y")
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.is_hidden and idea.comment_count == 0
    services.comment_unhide(comment=comment, by=make_user(is_superuser=True, is_staff=True))
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert Flag.objects.open().count() == 0


def test_default_flag_threshold_is_three():
    assert getattr(django_settings, "IDEA_FLAG_THRESHOLD", 3) == 3
    assert services.flag_threshold() == 3


def test_registered_with_hooks():
    assert any(entry.model is Idea for entry in located_models())
    assert any(section.key == "ideas" for section in area_sections())
    assert any(provider.key == "ideas" for provider in providers())


@pytest.mark.django_db
def test_area_section_constant_queries():
    north, _ = two_areas()
    child = make_area("Nord-Ost", parent=north, boundary=square(7.465, 51.51, 0.005))
    make_idea(child, title="Im Kind", kind="strength")

    def run():
        with CaptureQueriesContext(connection) as queries:
            context = area_ideas_context(north, [north.pk, child.pk], None)
            [idea.topic.name for group in context["idea_groups"] for idea in group["ideas"]]
        return len(queries), context

    few, context = run()
    assert context["idea_groups"][1]["ideas"][0].title == "Im Kind"
    for number in range(15):
        make_idea(north, title=f"N{number}", kind=["idea", "strength", "weakness"][number % 3])
    many, _ = run()
    assert few == many


@pytest.mark.django_db
def test_personal_data_export_anonymise_contributions():
    north, _ = two_areas()
    user = make_user(email="berta@example.org")
    idea = make_idea(north, author=user, author_email="", author_name="")
    services.comment_create(idea=idea, user=user, text="Mein Kommentar")
    services.support_add(idea=idea, user=user, notify=True)
    data = export(user)
    assert data["ideas"][0]["title"] == "Mehr Bänke"
    assert data["comments"][0]["text"] == "Mein Kommentar"
    assert ideas(user).count() == 1 and comments(user).count() == 1
    anonymise(user)
    idea.refresh_from_db()
    assert idea.author is None and idea.comments.get().author is None
    assert idea.support_count == 1 and Support.objects.get().user is None
    assert export(user) == {"ideas": [], "comments": [], "supports": [], "flags": []}


@pytest.mark.django_db
def test_media_served_with_nosniff(client, settings):
    north, _ = two_areas()
    from .helpers import jpeg_with_gps, upload

    idea = services.idea_submit(
        kind="idea",
        title="Foto",
        text="Mit Foto",
        topic=make_idea(north).topic,
        area=north,
        photo=upload(jpeg_with_gps()),
        photo_alt="Ein Bild",
        user=make_user(),
    )
    from django.test import RequestFactory
    from django.views.static import serve

    from quartier.middleware import SecurityHeadersMiddleware

    middleware = SecurityHeadersMiddleware(
        lambda request: serve(request, idea.photo.name, document_root=settings.MEDIA_ROOT)
    )
    response = middleware(RequestFactory().get(idea.photo.url))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_replacing_or_removing_photo_deletes_files(django_capture_on_commit_callbacks):
    from .helpers import jpeg_with_gps, upload

    north, _ = two_areas()
    idea = services.idea_submit(
        kind="idea",
        title="Foto",
        text="Mit Foto",
        topic=make_idea(north).topic,
        area=north,
        photo=upload(jpeg_with_gps()),
        photo_alt="Ein Bild",
        user=make_user(),
    )
    storage = idea.photo.storage
    first = (idea.photo.name, idea.thumbnail.name)
    with django_capture_on_commit_callbacks(execute=True):  # old files go after the commit
        services.idea_set_photo(idea=idea, photo=upload(jpeg_with_gps()))
    assert not any(storage.exists(name) for name in first)
    second = (idea.photo.name, idea.thumbnail.name)
    assert all(storage.exists(name) for name in second)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_set_photo(idea=idea, photo=None)
    assert not any(storage.exists(name) for name in second)
    assert not idea.photo and not idea.thumbnail


@pytest.mark.django_db(transaction=True)
def test_parallel_support_and_withdraw_by_one_person_never_fail():
    """60 support / withdraw requests of one account at once (double clicks, several tabs):
    every one is answered with the redirect, and the counter matches the row that is left."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the threaded check runs on PostgreSQL")
    from django.test import Client
    from django.urls import reverse

    north, _ = two_areas()
    idea = make_idea(north)
    user = make_user()
    urls = [
        reverse(f"participation:{name}", kwargs={"pk": idea.pk})
        for name in ("idea-support", "idea-unsupport")
    ]
    statuses, errors = [], []
    barrier = threading.Barrier(12)

    def click(number):
        client = Client(raise_request_exception=True)
        client.force_login(user)
        barrier.wait()
        try:
            for step in range(5):
                statuses.append(client.post(urls[(number + step) % 2]).status_code)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert statuses == [302] * 60
    idea.refresh_from_db()
    assert idea.support_count == Support.objects.filter(idea=idea).count() <= 1
