"""Moderation on the idea's own admin page: the actions its status allows, one service each,
written to the moderation log and Django's admin history, scoped to the manager's areas."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from participation.ideas.models import (
    Answer,
    Flag,
    IdeaStatus,
    ModerationAction,
    ModerationLog,
)
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db


def change_url(idea):
    return reverse("admin:participation_idea_change", args=[idea.pk])


def action_url(idea, action):
    return reverse(f"admin:participation_idea_{action}", args=[idea.pk])


@pytest.fixture
def north_manager():
    north, south = two_areas()
    return north, south, make_manager(north)


def offered(client, idea):
    response = client.get(change_url(idea))
    assert response.status_code == 200
    return [item["action"] for item in response.context["moderation"]["forms"]]


@pytest.mark.parametrize(
    ("status", "extra", "actions"),
    [
        (IdeaStatus.PENDING, {}, ["publish", "reject"]),
        (IdeaStatus.PUBLISHED, {}, ["answer", "hide", "duplicate"]),
        (IdeaStatus.PUBLISHED, {"is_hidden": True}, ["answer", "unhide"]),
        (IdeaStatus.PLANNED, {}, ["answer", "hide", "duplicate"]),
        (IdeaStatus.REALISED, {}, ["answer", "hide", "duplicate"]),
        (IdeaStatus.REJECTED, {}, []),
    ],
)
def test_only_allowed_actions_are_offered(client, north_manager, status, extra, actions):
    north, _south, manager = north_manager
    idea = make_idea(north, status=status, **extra)
    client.force_login(manager)
    assert offered(client, idea) == actions


def test_answer_form_offers_only_transitions_from_the_status(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PLANNED)
    client.force_login(manager)
    form = client.get(change_url(idea)).context["moderation"]["forms"][0]["form"]
    assert [value for value, _label in form.fields["status_to"].choices] == [
        "planned",
        "realised",
        "not_feasible",
    ]


def test_the_forms_post_to_their_own_urls_with_csrf(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING)
    client.force_login(manager)
    html = client.get(change_url(idea)).content.decode()
    assert f'action="{action_url(idea, "publish")}" id="moderation-publish"' in html
    assert 'form="moderation-publish"' in html and 'form="moderation-reject"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3


def test_publish_and_answer_in_one_step(client, north_manager, django_capture_on_commit_callbacks):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(idea, "publish"),
            {"publish-text": "Danke, wir prüfen das.", "publish-status_to": "under_review"},
        )
    assert response.status_code == 302 and response["Location"] == change_url(idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW and idea.published_at is not None
    answer = Answer.objects.get(idea=idea)
    assert (answer.status_from, answer.status_to) == ("published", "under_review")
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]  # one mail, with the answer
    assert "Danke, wir prüfen das." in mail.outbox[0].body
    actions = list(ModerationLog.objects.filter(idea=idea).values_list("action", flat=True))
    assert sorted(actions) == ["answer", "publish"]
    history = LogEntry.objects.filter(object_id=str(idea.pk), user=manager)
    assert sorted(entry.change_message for entry in history) == [
        "Beantwortet: Veröffentlicht → Wird geprüft",
        "Veröffentlicht",
    ]
    # "Meine Aktionen" on the start page and the idea's history show it
    assert "Mehr Bänke" in client.get(reverse("admin:index")).content.decode()
    history_page = client.get(reverse("admin:participation_idea_history", args=[idea.pk]))
    assert "Beantwortet: Veröffentlicht → Wird geprüft" in history_page.content.decode()


def test_publish_without_answer_and_status_change_without_text_is_refused(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING)
    client.force_login(manager)
    response = client.post(
        action_url(idea, "publish"), {"publish-text": "", "publish-status_to": "planned"}
    )
    assert response.status_code == 200
    assert "schreibt bitte eine Antwort dazu" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING  # nothing half-saved
    response = client.post(
        action_url(idea, "publish"), {"publish-text": "", "publish-status_to": "published"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED and not Answer.objects.exists()


def test_reject_hide_unhide_and_duplicate(client, north_manager):
    north, _south, manager = north_manager
    client.force_login(manager)
    pending = make_idea(north, status=IdeaStatus.PENDING)
    response = client.post(action_url(pending, "reject"), {"reject-reason": "Werbung"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == IdeaStatus.REJECTED

    public = make_idea(north, title="Bänke am Platz")
    Flag.objects.create(idea=public, reporter_key="x", reason="?")
    assert client.post(action_url(public, "hide"), {"hide-reason": "Prüfen"}).status_code == 302
    public.refresh_from_db()
    assert public.is_hidden and not Flag.objects.open().exists()
    assert client.post(action_url(public, "unhide"), {}).status_code == 302
    public.refresh_from_db()
    assert not public.is_hidden

    original = make_idea(north, title="Bänke am Platz, älter")
    response = client.post(action_url(public, "duplicate"), {"duplicate-original": original.pk})
    assert response.status_code == 302
    public.refresh_from_db()
    assert public.duplicate_of == original
    logged = set(ModerationLog.objects.values_list("action", flat=True))
    assert {"reject", "hide", "unhide", "mark_duplicate", "merge_duplicate"} <= logged
    assert LogEntry.objects.filter(user=manager).count() == 5


def test_an_action_the_status_does_not_allow_changes_nothing(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.REJECTED)
    client.force_login(manager)
    response = client.post(action_url(idea, "publish"), {"publish-status_to": "published"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize("action", ["publish", "reject", "hide", "unhide", "answer", "duplicate"])
def test_another_areas_idea_is_not_found(client, north_manager, action):
    _north, south, manager = north_manager
    idea = make_idea(south, status=IdeaStatus.PENDING)
    client.force_login(manager)
    assert client.get(action_url(idea, action)).status_code == 404
    assert client.post(action_url(idea, action), {"reject-reason": "x"}).status_code == 404
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING


def test_roles(client, north_manager):
    north, _south, _manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING)
    url = action_url(idea, "publish")
    data = {"publish-status_to": "published"}
    response = client.post(url, data)  # visitor
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user())  # resident
    response = client.post(url, data)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user(is_staff=True))  # staff without areas
    assert client.post(url, data).status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING
    client.force_login(make_coordination())
    assert client.post(url, data).status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED


def test_post_without_csrf_token_is_refused(north_manager):
    from django.test import Client

    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(action_url(idea, "publish"), {}).status_code == 403


def test_own_contribution_shows_no_forms(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north, status=IdeaStatus.PENDING, author_email=manager.email)
    client.force_login(manager)
    response = client.get(change_url(idea))
    assert response.context["moderation"] == {"refusal": "Eigene Beiträge moderieren andere."}
    response = client.post(action_url(idea, "publish"), {"publish-status_to": "published"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING


def test_hostile_input_gets_messages_not_errors(client, north_manager):
    north, _south, manager = north_manager
    idea = make_idea(north)
    client.force_login(manager)
    for data in (
        {"answer-status_to": "<script>", "answer-text": "x"},
        {"answer-status_to": "planned", "answer-text": "x" * 6000},
        {"answer-status_to": "planned"},
    ):
        response = client.post(action_url(idea, "answer"), data)
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    response = client.post(action_url(idea, "duplicate"), {"duplicate-original": idea.pk})
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED and not idea.duplicate_of_id


def test_action_labels_in_the_log(north_manager):
    entry = ModerationLog(action=ModerationAction.AUTO_HIDE)
    assert entry.get_action_display() == "Automatisch ausgeblendet (mehrfach gemeldet)"
