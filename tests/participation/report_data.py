"""A small known data set for the report tests: Südstadt with a retired social space (Ost)
whose successors (Am Hafen, Bahnhofsviertel) count for it, and Nordstadt beside it.

Period used by the tests: 1 January to 30 June 2026.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from network.models import JoinRequest, PartnerKind, TargetGroup
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Answer, IdeaStatus, Support
from participation.meetings.models import Meeting, Registration
from participation.topics.models import Topic
from tests.factories import make_area, make_user
from tests.network.factories import make_cooperation, make_partner
from tests.participation.helpers import make_idea, point

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)
PERIOD = {"von": "2026-01-01", "bis": "2026-06-30"}


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _idea(area, *, created, **extra):
    idea = make_idea(area, **extra)
    type(idea).objects.filter(pk=idea.pk).update(created_at=created)
    idea.refresh_from_db()
    return idea


def _answer(idea, *, created, status_to, status_from=IdeaStatus.PUBLISHED):
    answer = Answer.objects.create(
        idea=idea, text="Danke!", status_from=status_from, status_to=status_to, author_role="QM"
    )
    Answer.objects.filter(pk=answer.pk).update(created_at=created)
    return answer


def topics():
    first, second = Topic.objects.order_by("order", "name")[:2]
    return first, second


def make_report_data():
    t1, t2 = topics()
    sued = make_area("Südstadt")
    nord = make_area("Nordstadt")
    ost = make_area(
        "Ost",
        parent=sued,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2026, 1, 1),
    )
    hafen = make_area("Am Hafen", parent=sued, valid_from=datetime.date(2026, 1, 1))
    bahnhof = make_area("Bahnhofsviertel", parent=sued, valid_from=datetime.date(2026, 1, 1))
    hafen.predecessors.add(ost)
    bahnhof.predecessors.add(ost)

    u1, u2, u3, u4 = (make_user(f"bewohner{i}") for i in range(1, 5))
    no_account = {"author_name": "", "author_email": ""}

    a = _idea(ost, created=at(2026, 1, 15), kind="idea", topic=t1, author_email="a@example.org")
    b = _idea(
        hafen,
        created=at(2026, 2, 10),
        kind="weakness",
        topic=t2,
        status=IdeaStatus.PLANNED,
        channel="meeting",
        author=u1,
        **no_account,
    )
    c = _idea(
        bahnhof,
        created=at(2026, 2, 20),
        kind="strength",
        topic=t1,
        channel="paper",
        title="=Der Park am Kanal",
        support_count=3,
        location=point(7.47, 51.495),
        author_email="A@Example.org",
    )
    d = _idea(
        sued,
        created=at(2026, 3, 5),
        kind="weakness",
        topic=t2,
        status=IdeaStatus.REALISED,
        channel="phone",
        author=u2,
        **no_account,
    )
    _idea(sued, created=at(2026, 3, 6), kind="idea", topic=t1, status=IdeaStatus.PENDING)
    _idea(sued, created=at(2026, 3, 7), kind="idea", topic=t1, status=IdeaStatus.REJECTED)
    _idea(sued, created=at(2026, 3, 8), kind="idea", topic=t1, confirmed_at=None)
    _idea(sued, created=at(2025, 12, 1), kind="idea", topic=t1)
    _idea(nord, created=at(2026, 1, 20), kind="idea", topic=t1)

    _answer(a, created=at(2026, 1, 17), status_to=IdeaStatus.PUBLISHED)  # 2 days
    _answer(b, created=at(2026, 2, 14), status_to=IdeaStatus.PLANNED)  # 4 days
    _answer(d, created=at(2026, 3, 11), status_to=IdeaStatus.PLANNED)  # 6 days
    _answer(
        d,
        created=at(2026, 4, 2),
        status_to=IdeaStatus.REALISED,
        status_from=IdeaStatus.PLANNED,
    )

    for user in (u3, u1):
        support = Support.objects.create(idea=c, user=user)
        Support.objects.filter(pk=support.pk).update(created_at=at(2026, 2, 21))

    # Mood: three answers in the first quarter (4, 5, 3), two in the second (too few).
    for month, score in ((1, 4), (2, 5), (3, 3), (4, 2), (5, 4)):
        MoodAnswer.objects.create(
            area=hafen,
            score=score,
            month=datetime.date(2026, month, 1),
            created_at=at(2026, month, 3),
            user=u4 if month == 4 else None,
        )
    MoodAnswer.objects.create(
        area=nord, score=1, month=datetime.date(2026, 1, 1), created_at=at(2026, 1, 3)
    )

    held = Meeting.objects.create(
        title="Hafenfest",
        area=hafen,
        address="Am Kai 1",
        starts_at=at(2026, 2, 5, 17),
        ends_at=at(2026, 2, 5, 19),
        status=Meeting.Status.HELD,
    )
    for people, status, user in (
        (2, Registration.Status.CONFIRMED, u1),
        (3, Registration.Status.CONFIRMED, None),
        (1, Registration.Status.WAITING, None),
        (4, Registration.Status.CANCELLED, None),
    ):
        Registration.objects.create(
            meeting=held,
            user=user,
            name="Gast",
            email="gast@example.org",
            people=people,
            status=status,
            created_at=at(2026, 1, 30),
        )
    Meeting.objects.create(
        title="Abgesagt",
        area=ost,
        address="Weg 2",
        starts_at=at(2026, 3, 1, 17),
        ends_at=at(2026, 3, 1, 19),
        status=Meeting.Status.CANCELLED,
    )
    Meeting.objects.create(
        title="Nordtreffen",
        area=nord,
        address="Nordweg 3",
        starts_at=at(2026, 3, 1, 17),
        ends_at=at(2026, 3, 1, 19),
        status=Meeting.Status.HELD,
    )

    familien, _ = TargetGroup.objects.get_or_create(slug="familien", defaults={"name": "Familien"})
    senioren, _ = TargetGroup.objects.get_or_create(
        slug="senioren", defaults={"name": "Seniorinnen und Senioren"}
    )
    p1 = make_partner(
        "Hafenverein",
        kind=PartnerKind.ASSOCIATION,
        areas=[hafen],
        target_groups=[familien],
        active_since=datetime.date(2026, 2, 1),
    )
    p2 = make_partner(
        "Diakonie Süd",
        kind=PartnerKind.WELFARE,
        areas=[sued],
        target_groups=[familien, senioren],
        active_since=datetime.date(2020, 1, 1),
    )
    make_partner("Nordverein", areas=[nord], active_since=datetime.date(2026, 3, 1))
    make_partner(
        "Alter Verein", areas=[sued], is_active=False, active_since=datetime.date(2019, 1, 1)
    )
    make_cooperation(p1, p2, title="Familienfest", since=datetime.date(2026, 3, 1))

    accepted = JoinRequest.objects.create(
        organisation_name="Neue Initiative",
        kind=PartnerKind.INITIATIVE,
        description="…",
        contact_name="X",
        contact_email="x@example.org",
        status=JoinRequest.Status.ACCEPTED,
        handled_at=at(2026, 2, 2),
    )
    accepted.areas.set([hafen])
    declined = JoinRequest.objects.create(
        organisation_name="Nordfirma",
        kind=PartnerKind.BUSINESS,
        description="…",
        contact_name="Y",
        contact_email="y@example.org",
        status=JoinRequest.Status.DECLINED,
        handled_at=at(2026, 5, 1),
    )
    declined.areas.set([nord])
    return SimpleNamespace(
        sued=sued, nord=nord, ost=ost, hafen=hafen, bahnhof=bahnhof, t1=t1, t2=t2, strength=c
    )
