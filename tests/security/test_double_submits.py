"""Every public form that creates a row creates it once per form shown (quartier.formkeys).

The same form posted twice — a double click, a reload, ten requests at once — makes one row,
and every repeated post is redirected to the first one's page with a note that it was only
saved once. Proven one after another on both databases, and with ten parallel posts on
PostgreSQL (threads, each with its own database connection).
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from network.models import JoinRequest
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment, Idea
from participation.meetings.models import Registration
from participation.subscriptions.models import Subscription
from participation.topics.models import Topic
from quartier import formkeys
from quartier.models import BarrierReport
from tests.factories import make_area, make_user, square
from tests.participation.helpers import ensure_topic, make_idea
from tests.participation.meeting_factories import make_meeting

POINT = '{"type": "Point", "coordinates": [7.465, 51.515]}'


@dataclass
class Case:
    """A form: its page, what to post, the rows it creates and where it redirects."""

    name: str
    model: type
    url: Callable
    data: Callable
    redirect: Callable
    account: bool = False
    page: Callable | None = None  # where the form is shown, when not at `url`


def _area():
    ensure_topic()
    return make_area("Nordstadt", boundary=square(7.46, 51.51))


def _idea_data(world):
    return {
        "kind": "idea",
        "title": "Trinkbrunnen am Markt",
        "text": "Im Sommer fehlt Wasser.",
        "topic": Topic.objects.first().pk,
        "location": POINT,
        "author_name": "Erika Muster",
        "author_email": "erika@example.org",
        "privacy": "on",
    }


def _comment_url(world):
    world.setdefault("idea", make_idea(world["area"]))
    return reverse("participation:idea-comment", kwargs={"pk": world["idea"].pk})


def _meeting_url(world):
    world.setdefault("meeting", make_meeting(world["area"], capacity=20))
    return world["meeting"].get_absolute_url()


CASES = [
    Case(
        "idea",
        Idea,
        url=lambda world: reverse("participation:idea-create"),
        data=_idea_data,
        redirect=lambda world: reverse("participation:idea-thanks"),
    ),
    Case(
        "idea by an account",
        Idea,
        url=lambda world: reverse("participation:idea-create"),
        data=_idea_data,
        redirect=lambda world: reverse("participation:idea-thanks"),
        account=True,
    ),
    Case(
        "comment",
        Comment,
        url=_comment_url,
        data=lambda world: {"text": "Gute Idee!"},
        redirect=lambda world: world["idea"].get_absolute_url() + "#kommentare",
        account=True,
        page=lambda world: world["idea"].get_absolute_url(),
    ),
    Case(
        "mood",
        MoodAnswer,
        url=lambda world: reverse("participation:mood"),
        data=lambda world: {"score": "4", "area": world["area"].pk, "comment": "Schön hier"},
        redirect=lambda world: (
            f"{reverse('participation:mood')}?gebiet={world['area'].slug}"
            "&beantwortet=1#ihr-ergebnis"
        ),
    ),
    Case(
        "meeting registration",
        Registration,
        url=_meeting_url,
        data=lambda world: {"name": "Erika", "email": "erika@example.org", "people": "2"},
        redirect=lambda world: world["meeting"].get_absolute_url() + "#ihre-anmeldung",
    ),
    Case(
        "join request",
        JoinRequest,
        url=lambda world: reverse("network:join-request"),
        data=lambda world: {
            "organisation_name": "Repair-Café Nord",
            "kind": "initiative",
            "description": "Wir reparieren gemeinsam.",
            "contact_name": "Peter Lang",
            "contact_email": "peter@example.org",
            "consent": "on",
        },
        redirect=lambda world: reverse("network:join-request-thanks"),
    ),
    Case(
        "barrier report",
        BarrierReport,
        url=lambda world: reverse("legal:barrierefreiheit"),
        data=lambda world: {"page_url": "/ideen/", "description": "Kontrast zu schwach"},
        redirect=lambda world: reverse("legal:barrierefreiheit") + "#barriere-melden",
    ),
    Case(
        "following a place",
        Subscription,
        url=lambda world: reverse("participation:subscription-place"),
        data=lambda world: {
            "location": POINT,
            "radius_m": "500",
            "notify_ideas": "on",
            "frequency": "weekly",
        },
        redirect=lambda world: reverse("participation:subscription-list"),
        account=True,
    ),
]


def _setup(case):
    world = {"area": _area()}
    client = Client()
    if case.account:
        world["user"] = make_user()
        client.force_login(world["user"])
    return world, client


def _key_from_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    found = re.findall(r'name="form_key" value="([^"]+)"', response.content.decode())
    assert found, "the form carries no one-time key"
    return found[-1]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_same_form_posted_twice_creates_one_row(case, settings):
    settings.RATELIMIT_ENABLED = False
    world, client = _setup(case)
    url = case.url(world)
    page = case.page(world) if case.page else url
    data = {**case.data(world), "form_key": _key_from_page(client, page)}

    first = client.post(url, data)
    assert first.status_code == 302, getattr(first, "context_data", None)
    assert first.url == case.redirect(world)
    second = client.post(url, data)
    assert second.status_code == 302
    assert second.url == first.url
    assert str(formkeys.ALREADY_SENT) in [str(m) for m in get_messages(second.wsgi_request)]
    assert case.model.objects.count() == 1

    # a new form (a new key) is a new submission
    again = {**data, "form_key": formkeys.issue(), "confirm_new": "on"}
    if case.name == "mood":
        again["area"] = make_area("Südstadt").pk  # one answer per area and month
    if case.name == "join request":  # a second pending request of one name is refused
        again["organisation_name"] = "Eine andere Initiative"
    client.post(url, again)
    assert case.model.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_ten_parallel_posts_create_one_row(case, settings):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers are proven on PostgreSQL (set DATABASE_URL=postgres://…)")
    settings.RATELIMIT_ENABLED = False
    world, client = _setup(case)
    url = case.url(world)
    data = {**case.data(world), "form_key": formkeys.issue()}
    session = client.cookies.get("sessionid")
    barrier = threading.Barrier(10)
    answers, errors = [], []

    def post():
        try:
            own = Client()
            if session is not None:
                own.cookies["sessionid"] = session.value
            barrier.wait(timeout=10)
            answers.append(own.post(url, data))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [answer.status_code for answer in answers] == [302] * 10
    assert {answer.url for answer in answers} == {case.redirect(world)}
    assert case.model.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_post_leaves_its_key_free(client, settings):
    """A post the service refuses saves nothing — not even its key — so sending the corrected
    form again with the same key works."""
    settings.RATELIMIT_ENABLED = False
    world = {"area": _area()}
    data = {**_idea_data(world), "form_key": formkeys.issue()}
    outside = {**data, "location": '{"type": "Point", "coordinates": [8.5, 52.5]}'}
    response = client.post(reverse("participation:idea-create"), outside)
    assert response.status_code == 400
    assert not Idea.objects.exists()
    response = client.post(reverse("participation:idea-create"), data)
    assert response.status_code == 302
    assert Idea.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["forged", "a" * 5000, formkeys.issue() + "x", "x:y:z", "\x00", "'; DROP TABLE x; --"],
    ids=["forged", "5000 characters", "changed", "colons", "NUL", "SQL"],
)
def test_forged_or_broken_keys_get_a_clear_message_and_a_new_key(client, key, settings):
    settings.RATELIMIT_ENABLED = False
    world = {"area": _area()}
    response = client.post(
        reverse("participation:idea-create"), {**_idea_data(world), "form_key": key}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Bitte schicken Sie es noch einmal ab" in content
    assert "Trinkbrunnen am Markt" in content  # what was typed is kept
    new_key = re.search(r'name="form_key" value="([^"]+)"', content).group(1)
    assert new_key != key and formkeys.unsign(new_key)
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_post_without_key_still_works(client, settings):
    """Scripts and old pages without the field are handled as before (without protection)."""
    settings.RATELIMIT_ENABLED = False
    world = {"area": _area()}
    assert client.post(reverse("participation:idea-create"), _idea_data(world)).status_code == 302
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_a_repeated_post_is_not_counted_by_the_rate_limit(client, settings):
    settings.RATELIMIT_ENABLED = True
    world = {"area": _area()}
    data = {**_idea_data(world), "form_key": formkeys.issue()}
    for _ in range(8):  # the limit is 5 an hour
        assert client.post(reverse("participation:idea-create"), data).status_code == 302
    assert Idea.objects.count() == 1
