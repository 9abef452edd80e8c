"""Summary rows (participation.summaries) equal the figures counted from the rows themselves,
after any mix of writes, splits and the rebuild command; the pages read them."""

import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, Sum

from neighbourhoods.services import area_retire
from participation.feedback.models import MoodAnswer, current_month
from participation.feedback.services import mood_answer_create
from participation.ideas.models import Idea, IdeaKind, IdeaStatus
from participation.reports.profile import area_profile_context
from participation.summaries.models import AreaIdeaCount, AreaMoodCount
from participation.summaries.selectors import mood_quarterly, open_weaknesses, top_topics
from participation.summaries.services import summaries_rebuild
from participation.topics.models import Topic
from tests.factories import make_area, make_coordination, square

from .helpers import ensure_topic, make_idea


def counted_ideas():
    rows = (
        Idea.objects.listed()
        .order_by()
        .values_list("area_id", "kind", "topic_id", "status")
        .annotate(n=Count("pk"))
    )
    return sorted(rows)


def kept_ideas():
    return sorted(
        AreaIdeaCount.objects.filter(count__gt=0).values_list(
            "area_id", "kind", "topic_id", "status", "count"
        )
    )


def counted_mood():
    rows = (
        MoodAnswer.objects.order_by()
        .values_list("area_id", "month")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    return sorted(rows)


def kept_mood():
    return sorted(
        AreaMoodCount.objects.filter(count__gt=0).values_list("area_id", "month", "count", "total")
    )


def random_writes(areas, topics, rng, steps=60):
    statuses = list(IdeaStatus)
    for step in range(steps):
        action = rng.choice(["create", "status", "hide", "move", "delete", "duplicate", "mood"])
        ideas = list(Idea.objects.all())
        if action == "create" or not ideas:
            make_idea(
                rng.choice(areas),
                status=rng.choice(statuses),
                kind=rng.choice(list(IdeaKind)),
                topic=rng.choice(topics),
                title=f"Idee {step}",
            )
            continue
        idea = rng.choice(ideas)
        if action == "status":
            idea.status = rng.choice(statuses)
            idea.save()
        elif action == "hide":
            idea.is_hidden = not idea.is_hidden
            idea.save(update_fields=["is_hidden"])
        elif action == "move":
            idea.area = rng.choice(areas)
            idea.topic = rng.choice(topics)
            idea.save()
        elif action == "delete":
            idea.delete()
        elif action == "duplicate":
            others = [other for other in ideas if other.pk != idea.pk]
            idea.duplicate_of = rng.choice(others) if others and not idea.duplicate_of else None
            idea.save()
        else:
            MoodAnswer.objects.create(
                area=rng.choice(areas), score=rng.randint(1, 5), month=current_month()
            )
        # counters only: no recount
        Idea.objects.filter(pk=idea.pk).update(support_count=rng.randint(0, 9))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_the_counted_figures_after_random_writes(seed):
    rng = random.Random(seed)
    ensure_topic()
    topics = [Topic.objects.first(), Topic.objects.create(name="Grün", slug="gruen-s")]
    quarter = make_area("Nordstadt", boundary=square(7.46, 51.51))
    areas = [quarter, make_area("Hafen", parent=quarter), make_area("Südstadt")]
    random_writes(areas, topics, rng)
    assert kept_ideas() == counted_ideas()
    assert kept_mood() == counted_mood()


@pytest.mark.django_db
def test_the_rebuild_command_counts_everything_again():
    area = make_area("Nordstadt")
    make_idea(area)
    make_idea(area, kind=IdeaKind.WEAKNESS)
    MoodAnswer.objects.create(area=area, score=4, month=current_month())
    AreaIdeaCount.objects.update(count=0)
    AreaMoodCount.objects.update(count=99)
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kept_ideas() == counted_ideas() != []
    assert kept_mood() == counted_mood() != []


@pytest.mark.django_db
def test_moving_ideas_by_retiring_an_area_moves_their_counts():
    old = make_area("Alt", boundary=square(7.46, 51.51))
    new = make_area("Neu", boundary=square(7.46, 51.51, size=0.02))
    make_idea(old)
    make_idea(old, kind=IdeaKind.STRENGTH)
    area_retire(area=old, successors=[new], by=make_coordination())
    assert Idea.objects.filter(area=new).count() == 2
    assert kept_ideas() == counted_ideas()
    assert {row[0] for row in kept_ideas()} == {new.pk}


@pytest.mark.django_db
def test_pending_comments_moderation_and_counters_do_not_recount(django_assert_num_queries):
    area = make_area("Nordstadt")
    idea = make_idea(area)
    idea.support_count = 3
    with django_assert_num_queries(1):  # the update alone
        idea.save(update_fields=["support_count"])


@pytest.mark.django_db
def test_the_profile_and_mood_figures_equal_counting_the_rows():
    ensure_topic()
    quarter = make_area("Nordstadt")
    child = make_area("Hafen", parent=quarter)
    other = make_area("Südstadt")
    green = Topic.objects.create(name="Grün", slug="gruen-p")
    for area, kind, status, topic in [
        (quarter, IdeaKind.WEAKNESS, IdeaStatus.PUBLISHED, green),
        (child, IdeaKind.WEAKNESS, IdeaStatus.REALISED, green),
        (child, IdeaKind.WEAKNESS, IdeaStatus.PLANNED, None),
        (child, IdeaKind.IDEA, IdeaStatus.PENDING, green),
        (other, IdeaKind.WEAKNESS, IdeaStatus.PUBLISHED, green),
    ]:
        make_idea(area, kind=kind, status=status, topic=topic or ensure_topic())
    for score in [1, 2, 3, 4, 5, 5]:
        mood_answer_create(area=child, score=score)
    ids = [quarter.pk, child.pk]
    listed = Idea.objects.listed().in_areas(ids)
    expected_topics = list(
        listed.order_by()
        .values("topic__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name")[:3]
    )
    assert top_topics(ids, 3) == expected_topics
    assert open_weaknesses(ids) == 2
    assert mood_quarterly(ids) == MoodAnswer.objects.in_areas(ids).quarterly()
    assert mood_quarterly(ids)[0]["count"] == 6
    context = area_profile_context(quarter, ids, None)
    assert context["profile_open_weaknesses"] == 2
    assert context["profile_mood"]["average"] == 20 / 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writes_in_one_area_keep_the_summaries_exact():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL=postgres://…)")
    ensure_topic()
    area = make_area("Nordstadt")
    pending = [make_idea(area, status=IdeaStatus.PENDING, title=f"I{n}") for n in range(12)]
    barrier = threading.Barrier(len(pending) + 6)
    errors = []

    def publish(idea):
        try:
            barrier.wait(timeout=10)
            idea.status = IdeaStatus.PUBLISHED
            idea.save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def answer(n):
        try:
            barrier.wait(timeout=10)
            MoodAnswer.objects.create(area=area, score=1 + n % 5, month=current_month())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(idea,)) for idea in pending]
    threads += [threading.Thread(target=answer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert kept_ideas() == counted_ideas()
    assert AreaIdeaCount.objects.get(area=area).count == 12
    assert kept_mood() == counted_mood()
    assert AreaMoodCount.objects.get(area=area).count == 6
    assert summaries_rebuild() == (1, 1)
