"""Admin list pages for area staff: a fixed number of SQL queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import PartnerChange
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment, Flag, ModerationLog
from participation.meetings.models import Registration
from tests.factories import make_area, make_coordination, make_manager, make_user
from tests.network.factories import make_cooperation, make_partner
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "participation_idea",
    "participation_comment",
    "participation_flag",
    "participation_moderationlog",
    "participation_meeting",
    "participation_registration",
    "participation_moodanswer",
    "network_partner",
    "network_cooperation",
    "network_partnerchange",
]


def add_rows(area, numbers):
    for i in numbers:
        idea = make_idea(area, title=f"Idee {area.name} {i}")
        comment = Comment.objects.create(idea=idea, text=f"Kommentar {i}", author=make_user())
        Flag.objects.create(idea=idea, comment=comment, reporter_key=f"k{i}", reason="spam")
        ModerationLog.objects.create(idea=idea, action="hide")
        MoodAnswer.objects.create(area=area, score=3)
        meeting = make_meeting(area)
        Registration.objects.create(meeting=meeting, name=f"Ida {i}", email=f"i{i}@example.org")
        one = make_partner(f"Verein {area.name} {i}", areas=[area])
        two = make_partner(f"Initiative {area.name} {i}", areas=[area])
        make_cooperation(one, two)
        PartnerChange.objects.create(partner=one)


def count_queries(client, name):
    url = reverse(f"admin:{name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    return len(queries)


@pytest.mark.parametrize("role", ["manager", "coordination"])
def test_scoped_changelists_have_fixed_query_counts(client, role):
    north, south = two_areas()
    make_area("Nordstadt-Ost", parent=north)
    user = make_manager(north) if role == "manager" else make_coordination()
    client.force_login(user)
    add_rows(north, range(1))
    add_rows(south, range(1))
    # this process's caches first: the area tree (once per version) and the content types the
    # audit list asks for (Django keeps them per process) — the counts below are per request
    for name in CHANGELISTS:
        count_queries(client, name)
    few = {name: count_queries(client, name) for name in CHANGELISTS}
    add_rows(north, range(1, 5))
    add_rows(south, range(1, 5))
    many = {name: count_queries(client, name) for name in CHANGELISTS}
    assert many == few
    # Each permission check of the admin's menu and page asks the role again unless it is kept
    # on the user for the request: a manager's list page then took 40 to 52 queries.
    assert max(many.values()) <= 20, many
