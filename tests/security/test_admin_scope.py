"""Id tampering in the admin: a manager of one quarter reaches nothing of another quarter.

Walks every model in `admin.site._registry`. A fixture creates one object of every scoped
model in a quarter the manager does not manage (and one idea in the own quarter). For each
model with a way to an Area (a foreign key or many-to-many, directly or one step further),
every object outside the manager's areas must answer its change, delete and history URLs
with 403, 404 or a redirect — never with the object.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import ForeignKey, ManyToManyField, OneToOneField
from django.urls import reverse

from neighbourhoods.models import Area
from neighbourhoods.permissions import areas_managed_by
from network.models import JoinRequest, PartnerChange, PartnerKind
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment, Flag, ModerationLog
from participation.meetings.models import Registration
from tests.factories import make_manager, make_user
from tests.network.factories import make_cooperation, make_partner
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

MANAGER = "qm-nordstadt"


def _relations(model):
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey | OneToOneField | ManyToManyField)
        and not field.auto_created
    ]


def area_paths(model, depth=2):
    """Lookups from `model` to Area, e.g. ['area'], ['meeting__area'], ['areas']."""
    if model is Area:
        return ["pk"]
    paths = []
    for field in _relations(model):
        if field.related_model is Area and field.name not in {"parent"}:
            paths.append(field.name)
        elif depth > 1 and field.related_model is not get_user_model():
            paths += [
                f"{field.name}__{sub}"
                for sub in area_paths(field.related_model, depth - 1)
                if sub != "pk"
            ]
    return paths


@pytest.fixture
def demo_data():
    """Objects of every scoped model in Südstadt; the manager manages Nordstadt only."""
    north, south = two_areas()
    make_manager(north, username=MANAGER)
    make_manager(south, username="qm-suedstadt")
    make_idea(north, title="Eigene Idee")
    idea = make_idea(south, title="Fremde Idee")
    comment = Comment.objects.create(idea=idea, text="Fremder Kommentar", author=make_user())
    Flag.objects.create(idea=idea, comment=comment, reporter_key="x", reason="spam")
    ModerationLog.objects.create(idea=idea, action="hide")
    MoodAnswer.objects.create(area=south, score=3)
    meeting = make_meeting(south)
    Registration.objects.create(meeting=meeting, name="Ida", email="ida@example.org")
    partner = make_partner("Fremder Verein", areas=[south])
    other = make_partner("Zweiter Verein", areas=[south])
    make_cooperation(partner, other)
    PartnerChange.objects.create(partner=partner)
    JoinRequest.objects.create(
        organisation_name="Neu",
        kind=PartnerKind.ASSOCIATION,
        description="x",
        contact_name="y",
        contact_email="y@example.org",
        partner=partner,
    ).areas.add(south)


def _out_of_scope(model, paths, own_ids):
    """Objects with no link at all to one of the manager's areas."""
    queryset = model._default_manager.all()
    if model is Area:
        return queryset.exclude(pk__in=own_ids)
    for path in paths:
        queryset = queryset.exclude(**{f"{path}__in": own_ids})
    return queryset


def test_manager_cannot_reach_other_areas_objects_by_id(client, demo_data):
    manager = get_user_model().objects.get(username=MANAGER)
    client.force_login(manager)
    own_ids = set(areas_managed_by(manager).values_list("pk", flat=True))
    assert own_ids
    checked, leaks = {}, []
    for model in admin.site._registry:
        paths = area_paths(model)
        if not paths:
            continue
        info = model._meta.app_label, model._meta.model_name
        foreign = list(_out_of_scope(model, paths, own_ids)[:20])
        checked[model._meta.label] = len(foreign)
        for obj in foreign:
            for view in ("change", "delete", "history"):
                url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
                response = client.get(url)
                if response.status_code == 200:
                    leaks.append((url, str(obj)))
            # A tampered POST to change or delete must not act either.
            url = reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk])
            response = client.post(url, {"post": "yes"})
            if not model._default_manager.filter(pk=obj.pk).exists():
                leaks.append((url + " (POST deleted it)", str(obj)))
    assert leaks == []
    # The walk is not empty: the main scoped models had foreign objects to try.
    for label in (
        "neighbourhoods.Area",
        "participation.Idea",
        "participation.Meeting",
        "participation.Registration",
        "participation.Comment",
        "network.Partner",
        "network.Cooperation",
        "network.PartnerChange",
        "network.JoinRequest",
        "participation.MoodAnswer",
        "participation.Flag",
        "participation.ModerationLog",
        "neighbourhoods.AreaAssignment",
    ):
        assert checked.get(label), (label, checked)


def test_manager_sees_own_objects(client, demo_data):
    """Sanity: the same URLs work for the manager's own objects (so 404 above means scope)."""
    from participation.ideas.models import Idea

    manager = get_user_model().objects.get(username=MANAGER)
    client.force_login(manager)
    idea = Idea.objects.filter(area__in=areas_managed_by(manager)).first()
    assert idea is not None
    response = client.get(reverse("admin:participation_idea_change", args=[idea.pk]))
    assert response.status_code == 200
