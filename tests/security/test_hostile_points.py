"""Every form that takes a point answers every malformed point with the same clear German form
error (neighbourhoods.forms.PointField): never a 500, nothing saved."""

import json

import pytest
from django.urls import reverse

from neighbourhoods.geometry import POINT_INVALID_MESSAGE
from network.models import Partner
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Idea
from participation.meetings.models import Meeting
from participation.subscriptions.models import Subscription
from participation.topics.models import Topic
from tests.factories import make_area, make_coordination, make_user, square
from tests.hostile_points import HOSTILE_POINTS

pytestmark = pytest.mark.django_db

GOOD_POINT = json.dumps({"type": "Point", "coordinates": [7.465, 51.515]})
hostile = pytest.mark.parametrize("value", HOSTILE_POINTS.values(), ids=HOSTILE_POINTS.keys())


@pytest.fixture
def area():
    return make_area("Nordstadt", boundary=square(7.46, 51.51))


def assert_refused(response, field="location"):
    assert response.status_code in (200, 400), response.status_code
    if "adminform" in response.context:
        form = response.context["adminform"].form
    else:
        form = response.context["form"]
    assert form.errors[field] == [str(POINT_INVALID_MESSAGE)]
    assert str(POINT_INVALID_MESSAGE) in response.content.decode()


def test_a_good_point_is_accepted_by_the_same_forms(client, area):
    """The counterpart of the hostile cases below: the same posts with a good point save."""
    response = client.post(reverse("participation:mood"), {"score": "4", "point": GOOD_POINT})
    assert response.status_code == 302
    assert MoodAnswer.objects.get().area == area


@hostile
def test_idea_form(client, area, value):
    response = client.post(
        reverse("participation:idea-create"),
        {
            "kind": "idea",
            "title": "Eine Bank",
            "text": "Am Platz fehlt eine Bank.",
            "topic": Topic.objects.first().pk,
            "location": value,
            "author_name": "Erika",
            "author_email": "erika@example.org",
            "privacy": "on",
        },
    )
    assert_refused(response)
    assert not Idea.objects.exists()


@hostile
def test_mood_barometer(client, area, value):
    response = client.post(reverse("participation:mood"), {"score": "4", "point": value})
    assert_refused(response, field="point")
    assert not MoodAnswer.objects.exists()


@hostile
def test_follow_a_place(client, area, value):
    client.force_login(make_user())
    response = client.post(
        "/benachrichtigungen/ort/",
        {"location": value, "radius_m": "1000", "notify_ideas": "on", "frequency": "weekly"},
    )
    assert_refused(response)
    assert not Subscription.objects.exists()


@hostile
def test_offline_idea_in_the_admin(client, area, value):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:participation_idea_add"),
        {
            "kind": "idea",
            "title": "Vom Telefon",
            "text": "Anruf",
            "topic": Topic.objects.first().pk,
            "area": area.pk,
            "channel": "phone",
            "location_text": value,
        },
    )
    assert_refused(response, field="location_text")
    assert not Idea.objects.exists()


@hostile
def test_meeting_admin(client, area, value):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:participation_meeting_add"),
        {
            "title": "Treffen",
            "area": area.pk,
            "kind": "talk",
            "status": "planned",
            "address": "Hier",
            "location": value,
            "starts_at_0": "01.01.2099",
            "starts_at_1": "10:00:00",
            "ends_at_0": "01.01.2099",
            "ends_at_1": "12:00:00",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert_refused(response)
    assert not Meeting.objects.exists()


@hostile
def test_partner_admin(client, area, value):
    client.force_login(make_coordination())
    response = client.post(
        reverse("admin:network_partner_add"),
        {
            "name": "Neu",
            "slug": "neu",
            "kind": "other",
            "point": value,
            "is_active": "on",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert_refused(response, field="point")
    assert not Partner.objects.exists()
