"""Measures (Vorhaben): public list with filters and map, the timeline, updates reaching
followers and supporters, scoping, hostile input, and the report's realised ideas."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from participation.ideas.models import Support
from participation.measures import services
from participation.measures.models import Measure, MeasureStatus, MeasureUpdate, Milestone
from participation.reports import selectors as report_selectors
from participation.reports.scope import build_scope, default_period
from participation.subscriptions import services as subscription_services
from participation.subscriptions.models import Frequency
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, point, two_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return two_areas()


@pytest.fixture
def manager(areas):
    return make_manager(areas[0], username="qm-nord")


def make_measure(area, *, title="Neue Bänke am Markt", published=True, **extra):
    return Measure.objects.create(
        title=title,
        summary="Sechs Bänke und zwei Tische.",
        area=area,
        is_published=published,
        location=point(7.465, 51.515) if area.boundary else None,
        **extra,
    )


def test_list_shows_published_measures_with_filters_and_map(
    client, areas, django_assert_num_queries
):
    north, south = areas
    make_measure(north, title="Bänke", status=MeasureStatus.IN_PROGRESS)
    make_measure(south, title="Spielplatz", status=MeasureStatus.PLANNED)
    make_measure(north, title="Geheim", published=False)
    for index in range(5):
        make_measure(north, title=f"Mehr {index}")
    url = reverse("participation:measure-list")
    with django_assert_num_queries(3):  # count, page, filter's areas
        page = client.get(url).content.decode()
    assert "Bänke" in page and "Spielplatz" in page and "Geheim" not in page
    assert 'id="measures-geojson"' in page
    filtered = client.get(url, {"area": north.pk, "status": "in_progress"}).content.decode()
    assert "Bänke" in filtered and "Spielplatz" not in filtered and "Mehr 1" not in filtered


def test_bad_filter_values_do_not_break_the_list(client):
    response = client.get(
        reverse("participation:measure-list"), {"area": "x<script>", "status": "%00"}
    )
    assert response.status_code == 200


def test_detail_shows_timeline_milestones_and_origins(client, areas, manager):
    north, _ = areas
    idea = make_idea(north, title="Bänke bitte")
    measure = make_measure(north, costs=12000, funding="Quartiersfonds")
    measure.ideas.add(idea)
    Milestone.objects.create(
        measure=measure, title="Auftrag vergeben", due_on=datetime.date(2026, 5, 1)
    )
    services.measure_post_update(
        measure=measure,
        by=manager,
        text="Bänke bestellt.",
        status=MeasureStatus.IN_PROGRESS,
        progress=40,
    )
    page = client.get(measure.get_absolute_url()).content.decode()
    for text in ("Bänke bestellt.", "Auftrag vergeben", "Bänke bitte", "Quartiersfonds", "40 %"):
        assert text in page
    # ... and the idea's own page leads to the measure
    idea_page = client.get(idea.get_absolute_url()).content.decode()
    assert "Daraus wurde ein Vorhaben" in idea_page and measure.get_absolute_url() in idea_page


def test_unpublished_measures_are_not_found(client, areas):
    measure = make_measure(areas[0], published=False)
    assert client.get(measure.get_absolute_url()).status_code == 404


def test_update_is_mailed_to_area_followers_and_supporters_once(areas, manager, on_commit):
    north, south = areas
    fan = subscription_services.subscription_create(
        user=make_user("fan"), area=north, frequency=Frequency.IMMEDIATELY
    )
    subscription_services.subscription_create(
        user=make_user("sued"), area=south, frequency=Frequency.IMMEDIATELY
    )
    supporter = make_user("unterstuetzerin")
    quiet = make_user("leise")
    idea_a, idea_b = make_idea(north, title="A"), make_idea(north, title="B")
    for idea in (idea_a, idea_b):
        Support.objects.create(idea=idea, user=supporter, notify=True)
    Support.objects.create(idea=idea_a, user=quiet, notify=False)
    measure = make_measure(north)
    measure.ideas.add(idea_a, idea_b)
    mail.outbox.clear()
    with on_commit():
        services.measure_post_update(
            measure=measure, by=manager, text="Fertig!", status=MeasureStatus.COMPLETED, progress=80
        )
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([fan.recipient, supporter.email])
    follower_mail = next(m for m in mail.outbox if m.to == [fan.recipient])
    assert "Fertig!" in follower_mail.body
    assert follower_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (MeasureStatus.COMPLETED, 100)


def test_updates_of_unpublished_measures_mail_nobody(areas, manager, on_commit):
    subscription_services.subscription_create(
        user=make_user("fan"), area=areas[0], frequency=Frequency.IMMEDIATELY
    )
    measure = make_measure(areas[0], published=False)
    mail.outbox.clear()
    with on_commit():
        services.measure_post_update(
            measure=measure, by=manager, text="Intern", status=MeasureStatus.PREPARING, progress=5
        )
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "in_progress", "progress": "101", "text": "x"}, "kleiner oder gleich 100"),
        ({"status": "erfunden", "progress": "10", "text": "x"}, "keine gültige Auswahl"),
        ({"status": "in_progress", "progress": "10", "text": "a\x00b"}, "Steuerzeichen"),
        ({"status": "in_progress", "progress": "10", "text": ""}, "zwingend erforderlich"),
    ],
)
def test_hostile_updates_get_form_errors_and_save_nothing(client, areas, manager, data, message):
    measure = make_measure(areas[0])
    client.force_login(manager)
    response = client.post(reverse("admin:participation_measure_update", args=[measure.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert MeasureUpdate.objects.count() == 0


def test_managers_of_other_areas_find_nothing(client, areas):
    measure = make_measure(areas[0])
    client.force_login(make_manager(areas[1], username="qm-sued"))
    response = client.post(
        reverse("admin:participation_measure_update", args=[measure.pk]),
        {"status": "completed", "progress": "100", "text": "Hack"},
    )
    assert response.status_code == 404
    assert (
        client.get(reverse("admin:participation_measure_change", args=[measure.pk])).status_code
        == 302
    )
    assert MeasureUpdate.objects.count() == 0


def test_admin_posts_an_update_and_publishes(client, areas, manager):
    measure = make_measure(areas[0], published=False)
    client.force_login(manager)
    assert (
        client.get(reverse("admin:participation_measure_change", args=[measure.pk])).status_code
        == 200
    )
    client.post(reverse("admin:participation_measure_publish", args=[measure.pk]))
    response = client.post(
        reverse("admin:participation_measure_update", args=[measure.pk]),
        {"status": "in_progress", "progress": "30", "text": "Los geht's."},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.is_published and measure.progress == 30


def test_report_counts_ideas_realised_through_completed_measures(areas, manager):
    north, _ = areas
    idea = make_idea(north, title="Bänke")
    measure = make_measure(north)
    measure.ideas.add(idea)
    scope = build_scope(make_coordination("koordination"))
    period = default_period()
    assert report_selectors.status_funnel(scope, period)["planned"] == 1
    assert report_selectors.status_funnel(scope, period)["realised"] == 0
    services.measure_post_update(
        measure=measure, by=manager, text="Fertig", status=MeasureStatus.COMPLETED, progress=100
    )
    assert report_selectors.status_funnel(scope, period)["realised"] == 1
    assert sum(report_selectors.realised_per_quarter(scope, period).values()) == 1


def test_area_page_lists_its_measures(client, areas):
    north, _ = areas
    make_measure(north, title="Bänke am Markt")
    page = client.get(north.get_absolute_url()).content.decode()
    assert "Bänke am Markt" in page
