import pytest
from django.urls import reverse

from participation.topics.models import Topic
from tests.factories import make_area, make_coordination, make_manager

pytestmark = pytest.mark.django_db


def test_coordination_maintains_topics_managers_only_read(client):
    coordination = make_coordination()
    client.force_login(coordination)
    response = client.post(
        reverse("admin:participation_topic_add"),
        {"name": "Gesundheit", "slug": "gesundheit", "order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="gesundheit")

    manager = make_manager(make_area("Nordstadt"))
    client.force_login(manager)
    assert client.get(reverse("admin:participation_topic_changelist")).status_code == 200
    assert client.get(reverse("admin:participation_topic_add")).status_code == 403
    response = client.post(
        reverse("admin:participation_topic_change", args=[topic.pk]),
        {"name": "Umbenannt", "slug": "gesundheit", "order": 9},
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.name == "Gesundheit"
