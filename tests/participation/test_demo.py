import io

import pytest
from django.contrib.auth.models import Group

from participation.ideas import demo
from participation.ideas.models import Answer, Idea, IdeaStatus
from quartier import demo as quartier_demo

from .helpers import two_areas

pytestmark = pytest.mark.django_db


def test_demo_without_areas_creates_nothing():
    quartier_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Idea.objects.count() == 0


def test_demo_loads_about_60_ideas_idempotently():
    assert Group.objects.filter(name="Quartierskoordination").exists()
    quartier_demo.load(stdout=io.StringIO())
    two_areas()
    demo.load(stdout=io.StringIO())
    assert Idea.objects.count() == 60
    assert {i.kind for i in Idea.objects.all()} == {"idea", "strength", "weakness"}
    assert set(Idea.objects.values_list("status", flat=True)) == set(IdeaStatus.values)
    assert Answer.objects.exists()
    assert Idea.objects.exclude(photo="").exists()
    for idea in Idea.objects.exclude(support_count=0):
        assert idea.support_count == idea.supports.count()
    demo.load(stdout=io.StringIO())
    assert Idea.objects.count() == 60
