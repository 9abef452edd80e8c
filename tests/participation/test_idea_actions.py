"""The idea page's forms, one view each: who may send them, their limits and their answers."""

import pytest
from django.urls import reverse

from participation.ideas.models import Comment, Flag, IdeaStatus, Support
from tests.factories import make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db

ACTIONS = ["idea-comment", "idea-support", "idea-unsupport", "idea-flag"]


def url(name, idea):
    return reverse(f"participation:{name}", kwargs={"pk": idea.pk})


@pytest.fixture
def idea():
    north, _ = two_areas()
    return make_idea(north)


@pytest.fixture
def resident(client):
    user = make_user("anwohnerin")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_take_only_post(client, idea, name):
    assert client.get(url(name, idea)).status_code == 405


@pytest.mark.parametrize(
    ("name", "status"),
    [("idea-comment", 403), ("idea-support", 403), ("idea-unsupport", 403), ("idea-flag", 302)],
)
def test_visitors_may_only_report(client, idea, name, status):
    response = client.post(url(name, idea), {"text": "Hallo", "reason": "Werbung"})
    assert response.status_code == status
    assert Comment.objects.count() == Support.objects.count() == 0
    assert Flag.objects.count() == (1 if name == "idea-flag" else 0)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("status", [IdeaStatus.PENDING, IdeaStatus.REJECTED])
def test_nothing_on_ideas_that_are_not_public(client, resident, name, status):
    north, _ = two_areas()
    hidden = make_idea(north, status=status)
    response = client.post(url(name, hidden), {"text": "Hallo", "reason": "x"})
    assert response.status_code == 404
    assert Comment.objects.count() == Support.objects.count() == Flag.objects.count() == 0


def test_comment_goes_back_to_the_comments_with_a_message(client, resident, idea):
    response = client.post(url("idea-comment", idea), {"text": "Gute Idee"})
    assert response.status_code == 302
    assert response.url == idea.get_absolute_url() + "#kommentare"
    page = client.get(response.url).content.decode()
    assert "Danke, Ihr Kommentar ist veröffentlicht." in page
    assert "Gute Idee" in page


def test_a_bad_comment_comes_back_on_the_idea_page_with_what_was_typed(client, resident, idea):
    response = client.post(url("idea-comment", idea), {"text": "x" * 2001})
    assert response.status_code == 400
    page = response.content.decode()
    assert idea.title in page and "x" * 2001 in page
    assert Comment.objects.count() == 0


def test_comments_are_limited_per_account_from_any_address(client, settings, resident, idea):
    settings.RATELIMIT_ENABLED = True
    for number in range(20):
        response = client.post(
            url("idea-comment", idea), {"text": f"Nummer {number}"}, REMOTE_ADDR=f"10.0.0.{number}"
        )
        assert response.status_code == 302
    response = client.post(
        url("idea-comment", idea), {"text": "Noch einer"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "Noch einer" in response.content.decode()
    assert Comment.objects.count() == 20


def test_support_twice_is_one_support_and_updates_the_choice(client, resident, idea):
    response = client.post(url("idea-support", idea), {"notify": "on"})
    assert response.status_code == 302
    assert response.url == idea.get_absolute_url() + "#unterstuetzen"
    assert "Danke für Ihre Unterstützung." in client.get(response.url).content.decode()
    client.post(url("idea-support", idea))
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Support.objects.get(user=resident).notify is False


def test_withdrawing_is_idempotent(client, resident, idea):
    client.post(url("idea-support", idea))
    for _attempt in range(2):
        response = client.post(url("idea-unsupport", idea))
        assert response.status_code == 302
        assert response.url == idea.get_absolute_url() + "#unterstuetzen"
    assert "Ihre Unterstützung ist zurückgenommen." in client.get(response.url).content.decode()
    idea.refresh_from_db()
    assert idea.support_count == 0 == Support.objects.count()


def test_the_idea_page_shows_the_form_that_fits(client, resident, idea):
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f'action="{url("idea-support", idea)}"' in page
    assert url("idea-unsupport", idea) not in page
    client.post(url("idea-support", idea))
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f'action="{url("idea-unsupport", idea)}"' in page
    assert f'action="{url("idea-comment", idea)}#kommentare"' in page
    assert f'action="{url("idea-flag", idea)}"' in page


def test_flag_thanks_and_counts_once_per_person(client, idea):
    response = client.post(url("idea-flag", idea), {"reason": "Werbung"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    assert response.url == idea.get_absolute_url()
    assert "Danke für Ihren Hinweis." in client.get(response.url).content.decode()
    client.post(url("idea-flag", idea), {"reason": "Nochmal"}, REMOTE_ADDR="10.1.1.1")
    assert Flag.objects.count() == 1


def test_a_bad_flag_opens_the_report_box_and_login_links_point_to_the_idea(client, idea):
    response = client.post(url("idea-flag", idea), {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="flag-box" open>' in page
    assert f'?next={idea.get_absolute_url()}"' in page
    assert "?next=" + url("idea-flag", idea) not in page


def test_honeypot_refuses_the_report(client, idea):
    response = client.post(url("idea-flag", idea), {"reason": "Werbung", "website": "spam.example"})
    assert response.status_code == 400
    assert Flag.objects.count() == 0


def test_reports_are_limited_per_address(client, settings, idea):
    settings.RATELIMIT_ENABLED = True
    for number in range(10):
        client.post(url("idea-flag", idea), {"reason": f"Grund {number}"}, REMOTE_ADDR="10.2.2.2")
    response = client.post(url("idea-flag", idea), {"reason": "Grund"}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert "Grund" in response.content.decode()
    other = client.post(url("idea-flag", idea), {"reason": "Andere"}, REMOTE_ADDR="10.3.3.3")
    assert other.status_code == 302
