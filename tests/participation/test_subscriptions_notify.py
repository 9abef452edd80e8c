"""Who hears about what, once: immediate mails, place radius, digests, splits, hidden content."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from neighbourhoods.geometry import distance_m
from neighbourhoods.services import area_retire, area_split
from participation.ideas import services as idea_services
from participation.ideas.models import IdeaStatus
from participation.meetings.models import Meeting
from participation.meetings.services import meeting_create
from participation.subscriptions import notifications, services
from participation.subscriptions.models import Frequency, Notification, Subscription
from tests.factories import make_area, make_manager, make_user, square

from .helpers import ensure_topic, make_idea, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    ensure_topic()
    north = make_area("Nordstadt", boundary=square(7.46, 51.51))
    south = make_area("Südstadt", boundary=square(7.46, 51.49))
    return north, south


def follow(area=None, *, user=None, frequency=Frequency.IMMEDIATELY, **extra):
    return services.subscription_create(
        user=user or make_user(), area=area, frequency=frequency, **extra
    )


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def assert_headers(message):
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/benachrichtigungen/abbestellen/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_published_idea_is_mailed_at_once_to_followers_of_its_area(areas, on_commit):
    north, south = areas
    fan = follow(north)
    other = follow(south)
    manager = make_manager(north)
    idea = make_idea(north, title="Bänke am Markt", status=IdeaStatus.PENDING)
    with on_commit():
        idea_services.idea_publish(idea=idea, by=manager)
    (message,) = to(fan.recipient)
    assert "Bänke am Markt" in message.subject and "Bänke am Markt" in message.body
    assert f"/ideen/{idea.pk}/" in message.body
    assert_headers(message)
    assert not to(other.recipient)
    assert Notification.objects.get(subscription=fan).sent_at is not None


def test_answer_and_meeting_are_mailed(areas, on_commit):
    north, _south = areas
    fan = follow(north)
    manager = make_manager(north)
    idea = make_idea(north, title="Licht im Park")
    with on_commit():
        idea_services.idea_answer(
            idea=idea, by=manager, text="Wir prüfen das.", status_to="planned"
        )
    (answer_mail,) = to(fan.recipient)
    assert "Wir prüfen das." in answer_mail.body and "Geplant" in answer_mail.body
    assert_headers(answer_mail)
    start = timezone.now() + datetime.timedelta(days=3)
    with on_commit():
        meeting_create(
            title="Stadtteilgespräch",
            area=north,
            address="Markt 1",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    meeting_mail = to(fan.recipient)[-1]
    assert "Stadtteilgespräch" in meeting_mail.subject and "Markt 1" in meeting_mail.body
    assert_headers(meeting_mail)


def test_choices_are_respected(areas, on_commit):
    north, _south = areas
    only_meetings = follow(north, notify_ideas=False, notify_answers=False)
    with on_commit():
        notifications.notify_idea_published(make_idea(north))
    assert not mail.outbox
    assert not Notification.objects.filter(subscription=only_meetings).exists()


def test_following_a_quarter_covers_its_sub_areas(areas, on_commit):
    north, _south = areas
    child = make_area("Am Markt", parent=north, boundary=square(7.46, 51.51, 0.005))
    fan = follow(north)
    with on_commit():
        notifications.notify_idea_published(make_idea(child, title="Im Sozialraum"))
    assert len(to(fan.recipient)) == 1


def test_place_radius_match_and_non_match(areas, on_commit):
    north, _south = areas
    # the idea lies at (7.465, 51.515); these points are ~445 m south of it
    near = Subscription.objects.create(
        user=make_user(),
        location=point(7.465, 51.511),
        lng=7.465,
        lat=51.511,
        radius_m=500,
        frequency=Frequency.IMMEDIATELY,
        confirmed_at=timezone.now(),
    )
    too_small = Subscription.objects.create(
        user=make_user(),
        location=point(7.465, 51.511),
        lng=7.465,
        lat=51.511,
        radius_m=300,
        frequency=Frequency.IMMEDIATELY,
        confirmed_at=timezone.now(),
    )
    with on_commit():
        notifications.notify_idea_published(make_idea(north, location=point(7.465, 51.515)))
    assert len(to(near.recipient)) == 1
    assert not to(too_small.recipient)
    assert distance_m(7.465, 51.511, 7.465, 51.515) == pytest.approx(445, abs=2)


def test_place_follow_reaches_across_a_quarter_boundary(areas, on_commit):
    north, south = areas
    # a point at the northern edge of Südstadt, 1 km radius, reaches into Nordstadt
    edge = follow(location=point(7.465, 51.4995), radius_m=2000)
    with on_commit():
        notifications.notify_idea_published(make_idea(north, location=point(7.465, 51.511)))
    assert len(to(edge.recipient)) == 1


def test_one_person_following_area_and_place_hears_once(areas, on_commit):
    north, _south = areas
    user = make_user()
    follow(north, user=user)
    follow(user=user, location=point(7.465, 51.515), radius_m=1000)
    with on_commit():
        notifications.notify_idea_published(make_idea(north))
    assert len(to(user.email)) == 1


def test_hidden_rejected_and_unconfirmed_are_never_notified(areas, on_commit):
    north, _south = areas
    fan = follow(north)
    visitor = Subscription.objects.create(email="unbestaetigt@example.org", area=north)
    with on_commit():
        assert (
            notifications.notify_idea_published(make_idea(north, status=IdeaStatus.REJECTED)) == []
        )
        assert (
            notifications.notify_idea_published(make_idea(north, status=IdeaStatus.PENDING)) == []
        )
        assert notifications.notify_idea_published(make_idea(north, is_hidden=True)) == []
        notifications.notify_idea_published(make_idea(north, title="Öffentlich"))
    assert [m.subject for m in to(fan.recipient)] == [
        "[Quartier Musterstadt] Neuer Beitrag: Öffentlich"
    ]
    assert not to(visitor.email)
    assert not Notification.objects.filter(subscription=visitor).exists()


def test_digest_sends_each_item_once_even_when_run_twice(areas, on_commit):
    north, _south = areas
    weekly = follow(north, frequency=Frequency.WEEKLY)
    first, second = make_idea(north, title="Erste Idee"), make_idea(north, title="Zweite Idee")
    hidden_later = make_idea(north, title="Später ausgeblendet")
    with on_commit():
        for idea in (first, second, hidden_later):
            notifications.notify_idea_published(idea)
    assert not mail.outbox  # weekly: nothing at once
    hidden_later.is_hidden = True
    hidden_later.save()
    output = StringIO()
    call_command("send_digests", stdout=output)
    call_command("send_digests", stdout=output)
    assert output.getvalue().splitlines() == ["1 digest mail(s) sent.", "0 digest mail(s) sent."]
    (digest,) = mail.outbox
    assert digest.to == [weekly.recipient]
    assert "Erste Idee" in digest.body and "Zweite Idee" in digest.body
    assert "Später ausgeblendet" not in digest.body
    assert_headers(digest)
    with on_commit():
        notifications.notify_idea_published(first)  # the same event again: recorded once
        notifications.notify_idea_published(make_idea(north, title="Dritte Idee"))
    assert notifications.send_digests() == 1
    assert "Dritte Idee" in mail.outbox[-1].body and "Erste Idee" not in mail.outbox[-1].body
    assert notifications.send_digests() == 0
    assert not Notification.objects.pending().exists()


def test_immediate_send_twice_sends_once(areas, on_commit):
    north, _south = areas
    follow(north)
    with on_commit():
        (notification,) = notifications.notify_idea_published(make_idea(north))
    assert notifications.notification_send(pk=notification.pk) == 0
    assert len(mail.outbox) == 1


def test_cancelled_meeting_is_not_announced(areas, on_commit):
    north, _south = areas
    follow(north, frequency=Frequency.WEEKLY)
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        title="Fällt aus",
        area=north,
        address="Markt 1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    notifications.notify_meeting_created(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert notifications.send_digests() == 0


# --- splits --------------------------------------------------------------------------------


def halves(lng, lat, size):
    half = size / 2
    west = square(lng, lat, 1) | {
        "coordinates": [
            [[lng, lat], [lng + half, lat], [lng + half, lat + size], [lng, lat + size], [lng, lat]]
        ]
    }
    east = square(lng, lat, 1) | {
        "coordinates": [
            [
                [lng + half, lat],
                [lng + size, lat],
                [lng + size, lat + size],
                [lng + half, lat + size],
                [lng + half, lat],
            ]
        ]
    }
    return west, east


@pytest.fixture
def social_space():
    ensure_topic()
    quarter = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    space = make_area(
        "Ost",
        parent=quarter,
        boundary=square(7.40, 51.40, 0.05),
        valid_from=datetime.date(2020, 1, 1),
    )
    return quarter, space


def test_split_moves_followers_to_every_successor_and_mails_them_once(social_space, on_commit):
    _quarter, space = social_space
    account = follow(space, frequency=Frequency.WEEKLY, notify_answers=False)
    visitor = services.subscription_create(email="besuch@example.org", area=space)
    services.subscription_confirm(token=services.confirm_token(visitor))
    Subscription.objects.create(email="offen@example.org", area=space)
    mail.outbox.clear()
    west, east = halves(7.40, 51.40, 0.05)
    with on_commit():
        new = area_split(
            area=space,
            children=[{"name": "Bahnhof", "boundary": west}, {"name": "Hafen", "boundary": east}],
        )
    for subscription in (account, visitor):
        followed = set(
            Subscription.objects.filter(
                user=subscription.user, email=subscription.email
            ).values_list("area__name", flat=True)
        )
        assert followed == {"Bahnhof", "Hafen"}
    copy = Subscription.objects.get(user=account.user, area=new[1])
    assert copy.frequency == Frequency.WEEKLY and not copy.notify_answers
    assert copy.confirmed_at is not None and copy.token != account.token
    assert Subscription.objects.get(pk=account.pk).area == new[0]  # keeps its token and links
    assert set(
        Subscription.objects.filter(email="offen@example.org").values_list("area__name", flat=True)
    ) == {"Bahnhof", "Hafen"}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "besuch@example.org",
        account.recipient,
    ]
    for message in mail.outbox:
        assert "„Ost“" in message.body and "Bahnhof" in message.body and "Hafen" in message.body
        assert_headers(message)
    assert not to("offen@example.org")
    # an idea in one successor reaches each follower once
    with on_commit():
        notifications.notify_idea_published(make_idea(new[1], title="Am Hafen"))
    assert (
        Notification.objects.filter(subscription__user=account.user, idea__isnull=False).count()
        == 1
    )
    assert notifications.send_digests() == 2  # the account and the visitor, not the unconfirmed one


def test_quarter_split_keeps_followers_and_tells_them_once(areas, on_commit):
    north, _south = areas
    fan = follow(north)
    west, east = halves(7.46, 51.51, 0.01)
    with on_commit():
        new = area_split(
            area=north,
            children=[{"name": "West", "boundary": west}, {"name": "Ost", "boundary": east}],
        )
    (message,) = to(fan.recipient)
    assert "in Sozialräume unterteilt" in message.body
    assert Subscription.objects.filter(user=fan.user).count() == 1
    services.followers_follow_successors(old_area=north, new_areas=new)  # a rerun: no new mail
    assert len(to(fan.recipient)) == 1
    with on_commit():
        notifications.notify_idea_published(make_idea(new[0], location=point(7.462, 51.515)))
    assert len(to(fan.recipient)) == 2


def test_retired_without_successor_says_so(social_space, on_commit):
    _quarter, space = social_space
    fan = follow(space)
    with on_commit():
        area_retire(area=space)
    (message,) = to(fan.recipient)
    assert "gibt es nicht mehr" in message.body


def test_names_are_escaped_on_pages(client):
    area = make_area("<script>alert(1)</script>", slug="boese", boundary=square(7.0, 51.0))
    user = make_user()
    follow(area, user=user)
    client.force_login(user)
    html = client.get("/benachrichtigungen/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    html = client.get(area.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_mail_link_is_absolute_and_manage_link_works_for_visitors(areas, client, on_commit):
    north, _south = areas
    visitor = services.subscription_create(
        email="v@example.org", area=north, frequency=Frequency.IMMEDIATELY
    )
    services.subscription_confirm(token=services.confirm_token(visitor))
    mail.outbox.clear()
    with on_commit():
        notifications.notify_idea_published(make_idea(north))
    (message,) = mail.outbox
    manage = re.search(r"https?://\S+/benachrichtigungen/verwalten/\S+/", message.body).group(0)
    response = client.get("/" + manage.split("/", 3)[3])
    assert response.status_code == 200 and "v@example.org" in response.content.decode()


def test_meeting_added_in_the_admin_is_announced(areas, client, on_commit):
    north, _south = areas
    fan = follow(north)
    client.force_login(make_manager(north))
    day = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d.%m.%Y")
    with on_commit():
        response = client.post(
            "/verwaltung/participation/meeting/add/",
            {
                "title": "Neu im Admin",
                "area": north.pk,
                "kind": "talk",
                "status": "planned",
                "address": "Markt 2",
                "starts_at_0": day,
                "starts_at_1": "10:00:00",
                "ends_at_0": day,
                "ends_at_1": "12:00:00",
                "languages": "Deutsch",
                "registrations-TOTAL_FORMS": "0",
                "registrations-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    (message,) = to(fan.recipient)
    assert "Neu im Admin" in message.subject
