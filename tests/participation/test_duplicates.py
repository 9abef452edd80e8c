"""Managers merge a duplicate into the original: supports move without double support, both
get an answer, the duplicate leaves the lists but keeps its page, the log records it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation.ideas.duplicates import idea_mark_duplicate
from participation.ideas.models import Answer, Idea, IdeaStatus, ModerationLog, Support
from participation.ideas.services import support_add
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    north, south = two_areas()
    original = make_idea(north, title="Bänke am Spielplatz")
    duplicate = make_idea(north, title="Mehr Bänke am Spielplatz")
    return north, south, original, duplicate


def test_merge_moves_supports_without_double_support_and_answers_both(setup):
    north, _south, original, duplicate = setup
    both, only_dup, only_orig = make_user(), make_user(), make_user()
    for user in (both, only_dup):
        support_add(idea=duplicate, user=user)
    for user in (both, only_orig):
        support_add(idea=original, user=user)
    manager = make_manager(north)
    idea_mark_duplicate(idea=duplicate, original=original, by=manager)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    assert set(Support.objects.filter(idea=original).values_list("user", flat=True)) == {
        both.pk,
        only_dup.pk,
        only_orig.pk,
    }
    assert original.support_count == 3
    assert duplicate.support_count == Support.objects.filter(idea=duplicate).count() == 1
    assert Answer.objects.filter(idea=duplicate).count() == 1
    assert "Bänke am Spielplatz" in Answer.objects.get(idea=duplicate).text
    assert "1 Unterstützung" in Answer.objects.get(idea=original).text
    assert duplicate.status == IdeaStatus.PUBLISHED  # status unchanged, only merged
    actions = set(ModerationLog.objects.values_list("action", "idea"))
    assert {("mark_duplicate", duplicate.pk), ("merge_duplicate", original.pk)} <= actions


def test_duplicate_leaves_lists_but_keeps_its_page(client, setup):
    north, _south, original, duplicate = setup
    idea_mark_duplicate(idea=duplicate, original=original, by=make_manager(north))
    listing = client.get(reverse("participation:idea-list")).content.decode()
    assert original.title in listing
    assert f'href="{duplicate.get_absolute_url()}"' not in listing
    page = client.get(duplicate.get_absolute_url())
    assert page.status_code == 200
    assert original.get_absolute_url() in page.content.decode()
    assert duplicate not in Idea.objects.listed()


def test_refused_cases(setup):
    north, south, original, duplicate = setup
    manager = make_manager(north)
    with pytest.raises(ValidationError):
        idea_mark_duplicate(idea=duplicate, original=duplicate, by=manager)
    hidden = make_idea(north, title="versteckt", is_hidden=True)
    with pytest.raises(ValidationError):
        idea_mark_duplicate(idea=duplicate, original=hidden, by=manager)
    pending = make_idea(north, title="wartet", status=IdeaStatus.PENDING)
    with pytest.raises(ValidationError):
        idea_mark_duplicate(idea=duplicate, original=pending, by=manager)
    with pytest.raises(PermissionDenied):
        idea_mark_duplicate(idea=duplicate, original=original, by=make_manager(south))
    idea_mark_duplicate(idea=duplicate, original=original, by=manager)
    with pytest.raises(ValidationError):  # twice
        idea_mark_duplicate(idea=duplicate, original=original, by=manager)
    with pytest.raises(ValidationError):  # a duplicate is no original
        idea_mark_duplicate(idea=make_idea(north), original=duplicate, by=manager)


def test_admin_view_scoped_and_merges(client, setup):
    north, south, original, duplicate = setup
    url = reverse("admin:participation_idea_duplicate", args=[duplicate.pk])
    client.force_login(make_manager(south))
    assert client.get(url).status_code == 404
    client.force_login(make_manager(north))
    response = client.get(url)
    assert response.status_code == 200
    assert f"#{original.pk} Bänke am Spielplatz" in response.content.decode()
    response = client.post(url, {"duplicate-original": "999999"})
    assert response.status_code == 200
    assert "keinen anderen veröffentlichten Beitrag" in response.content.decode()
    response = client.post(url, {"duplicate-original": "<b>"})
    assert response.status_code == 200
    response = client.post(url, {"duplicate-original": original.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original


def test_admin_help_text_escapes_titles(client, setup):
    north, _south, _original, duplicate = setup
    make_idea(north, title="Bänke am Spielplatz <img src=x onerror=alert(1)>")
    client.force_login(make_coordination())
    body = client.get(
        reverse("admin:participation_idea_duplicate", args=[duplicate.pk])
    ).content.decode()
    assert "<img src=x" not in body
