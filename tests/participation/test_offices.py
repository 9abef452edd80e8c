"""Offices: forwarding an idea, the office's answer (link or account), the manager's decision,
reminders, the public timeline, the inbox and the report."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from participation.ideas.models import Answer, IdeaStatus, ModerationAction, ModerationLog
from participation.offices import services
from participation.offices.models import Decision, Forwarding, Office
from participation.offices.selectors import responsiveness_per_office
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def areas():
    return two_areas()


@pytest.fixture
def office():
    return Office.objects.create(name="Tiefbauamt", email="tiefbau@stadt.example")


@pytest.fixture
def manager(areas):
    return make_manager(areas[0], username="qm-nord")


@pytest.fixture
def idea(areas):
    return make_idea(areas[0], title="Zebrastreifen an der Schule")


def forward(idea, office, manager, **extra):
    return services.forwarding_create(
        idea=idea,
        office=office,
        question=extra.get("question", "Ist ein Zebrastreifen möglich?"),
        deadline=extra.get("deadline", TODAY() + datetime.timedelta(days=14)),
        by=manager,
    )


def link_path(message):
    url = re.search(r"https?://\S+/amt/antwort/\S+/", message.body).group(0)
    return url[url.index("/amt/") :]


def test_manager_forwards_from_the_idea_page_and_the_office_gets_its_link(
    client, idea, office, manager, requests_commit
):
    client.force_login(manager)
    response = client.post(
        reverse("admin:participation_idea_forward", args=[idea.pk]),
        {
            "forward-office": office.pk,
            "forward-question": "Ist ein Zebrastreifen möglich?",
            "forward-deadline": (TODAY() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    forwarding = Forwarding.objects.get()
    assert (forwarding.office, forwarding.created_by) == (office, manager)
    assert [m.to for m in mail.outbox] == [["tiefbau@stadt.example"]]
    assert "Ist ein Zebrastreifen möglich?" in mail.outbox[0].body
    assert "/amt/antwort/" in mail.outbox[0].body
    assert ModerationLog.objects.filter(action=ModerationAction.FORWARD, idea=idea).exists()


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (lambda: TODAY().isoformat(), "Die Frist muss in der Zukunft liegen."),
        (lambda: "gestern", "Bitte ein gültiges Datum eingeben."),
        (
            lambda: (TODAY() + datetime.timedelta(days=400)).isoformat(),
            "Die Frist darf höchstens ein Jahr entfernt sein.",
        ),
    ],
)
def test_forwarding_refuses_bad_deadlines_and_keeps_what_was_typed(
    client, idea, office, manager, deadline, message
):
    client.force_login(manager)
    response = client.post(
        reverse("admin:participation_idea_forward", args=[idea.pk]),
        {
            "forward-office": office.pk,
            "forward-question": "Frage\x00",
            "forward-deadline": deadline(),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Forwarding.objects.count() == 0
    assert mail.outbox == []


def test_a_manager_of_another_area_cannot_forward(client, areas, idea, office):
    other = make_manager(areas[1], username="qm-sued")
    client.force_login(other)
    response = client.post(
        reverse("admin:participation_idea_forward", args=[idea.pk]),
        {
            "forward-office": office.pk,
            "forward-question": "Frage",
            "forward-deadline": (TODAY() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 404
    assert Forwarding.objects.count() == 0


def test_pending_ideas_cannot_be_forwarded(areas, office, manager):
    pending = make_idea(areas[0], status=IdeaStatus.PENDING)
    with pytest.raises(Exception, match="veröffentlichte"):
        forward(pending, office, manager)


def test_office_answers_through_its_link_and_the_manager_hears_of_it(
    client, idea, office, manager, requests_commit
):
    with_commit = forward(idea, office, manager)
    path = reverse("participation:office-answer", args=[services.answer_token(with_commit)])
    page = client.get(path)
    assert page.status_code == 200
    assert "Ist ein Zebrastreifen möglich?" in page.content.decode()
    mail.outbox.clear()
    response = client.post(path, {"answer": "Ja, im Frühjahr.", "name": "Frau Weg"})
    assert response.status_code == 302
    forwarding = Forwarding.objects.get()
    assert forwarding.answer == "Ja, im Frühjahr."
    assert forwarding.answered_at is not None and forwarding.answered_by is None
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Ja, im Frühjahr." in mail.outbox[0].body
    # The page now shows the answer; a second answer is refused, nothing changes.
    again = client.post(path, {"answer": "Doch nicht."}, follow=True)
    assert "bereits beantwortet" in again.content.decode()
    assert Forwarding.objects.get().answer == "Ja, im Frühjahr."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"answer": "Text\x07"}, "unsichtbares Steuerzeichen"),
        ({"answer": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({"answer": "ok", "name": "A\r\nBcc: x@y"}, "nur eine Zeile"),
    ],
)
def test_hostile_answers_get_a_form_error_and_save_nothing(
    client, idea, office, manager, data, message
):
    forwarding = forward(idea, office, manager)
    path = reverse("participation:office-answer", args=[services.answer_token(forwarding)])
    response = client.post(path, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Forwarding.objects.get().answered_at is None


def test_forged_withdrawn_and_expired_links(client, idea, office, manager, settings):
    forwarding = forward(idea, office, manager)
    token = services.answer_token(forwarding)
    assert client.get(reverse("participation:office-answer", args=[token + "x"])).status_code == 404
    forged = signing.dumps({"f": forwarding.pk, "s": "geraten"}, salt=services.ANSWER_SALT)
    assert client.get(reverse("participation:office-answer", args=[forged])).status_code == 404
    settings.OFFICE_LINK_DAYS = -1
    expired = client.get(reverse("participation:office-answer", args=[token]))
    assert expired.status_code == 410
    assert "abgelaufen" in expired.content.decode()
    settings.OFFICE_LINK_DAYS = 60
    services.forwarding_withdraw(forwarding=forwarding, by=manager)
    assert client.get(reverse("participation:office-answer", args=[token])).status_code == 404


def test_office_account_sees_its_requests_and_answers_there(client, areas, idea, office, manager):
    clerk = make_user("tiefbau-clerk")
    office.users.add(clerk)
    other_office = Office.objects.create(name="Grünflächenamt", email="gruen@stadt.example")
    forwarding = forward(idea, office, manager)
    foreign = forward(make_idea(areas[0], title="Bäume"), other_office, manager)
    client.force_login(clerk)
    listing = client.get(reverse("participation:office-requests"))
    assert listing.status_code == 200
    assert "Zebrastreifen an der Schule" in listing.content.decode()
    assert "Bäume" not in listing.content.decode()
    assert client.get(reverse("participation:office-request", args=[foreign.pk])).status_code == 404
    response = client.post(
        reverse("participation:office-request", args=[forwarding.pk]), {"answer": "Geprüft."}
    )
    assert response.status_code == 302
    forwarding.refresh_from_db()
    assert forwarding.answered_by == clerk


def test_other_accounts_get_403_and_visitors_the_login(client):
    assert client.get(reverse("participation:office-requests")).status_code == 302
    client.force_login(make_user("anwohner"))
    assert client.get(reverse("participation:office-requests")).status_code == 403


def test_manager_publishes_the_answer_with_a_status_change(client, idea, office, manager):
    forwarding = forward(idea, office, manager)
    services.forwarding_answer(forwarding=forwarding, text="Wird gebaut.")
    client.force_login(manager)
    page = client.get(reverse("admin:participation_forwarding_change", args=[forwarding.pk]))
    assert "Veröffentlichen oder intern behalten" in page.content.decode()
    response = client.post(
        reverse("admin:participation_forwarding_decide", args=[forwarding.pk]),
        {"decision": "publish", "text": "Das Tiefbauamt baut ihn.", "status_to": "planned"},
    )
    assert response.status_code == 302
    forwarding.refresh_from_db()
    idea.refresh_from_db()
    assert forwarding.decision == Decision.PUBLISHED
    assert forwarding.public_answer.text == "Das Tiefbauamt baut ihn."
    assert idea.status == IdeaStatus.PLANNED


def test_manager_keeps_the_answer_internal(idea, office, manager):
    forwarding = forward(idea, office, manager)
    services.forwarding_answer(forwarding=forwarding, text="Intern: Budget fehlt.")
    services.forwarding_decide(forwarding=forwarding, by=manager, publish=False)
    assert Forwarding.objects.get().decision == Decision.INTERNAL
    assert Answer.objects.count() == 0


def test_the_public_timeline_shows_forwarding_and_answer_dates(client, idea, office, manager):
    forwarding = forward(idea, office, manager)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "an Tiefbauamt weitergeleitet" in page
    services.forwarding_answer(forwarding=forwarding, text="Intern.")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Antwort von Tiefbauamt am" in page
    assert "Intern." not in page  # the text only once published


def test_overdue_requests_are_reminded_once_a_week_at_most_three_times(
    idea, office, manager, django_capture_on_commit_callbacks
):
    forwarding = forward(idea, office, manager)
    Forwarding.objects.filter(pk=forwarding.pk).update(
        deadline=TODAY() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forwardings_remind(now=now) == 1
        assert services.forwardings_remind(now=now + datetime.timedelta(days=1)) == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([office.email, manager.email])
    assert "/amt/antwort/" in next(m for m in mail.outbox if m.to == [office.email]).body
    for week in (1, 2, 3):
        services.forwardings_remind(now=now + datetime.timedelta(days=7 * week + 1))
    assert Forwarding.objects.get().reminders == services.MAX_REMINDERS
    services.forwarding_answer(forwarding=forwarding, text="Endlich.")
    Forwarding.objects.update(reminders=0)
    assert services.forwardings_remind(now=now + datetime.timedelta(days=60)) == 0


def test_reminders_are_a_registered_periodic_job():
    from quartier.jobs import registered

    assert "office-reminders" in registered()


def test_inbox_rows_and_responsiveness(areas, idea, office, manager):
    from participation.offices import inbox

    late = forward(idea, office, manager)
    Forwarding.objects.filter(pk=late.pk).update(deadline=TODAY() - datetime.timedelta(days=2))
    answered = forward(make_idea(areas[0], title="Ampel"), office, manager)
    services.forwarding_answer(forwarding=answered, text="Ja.")
    assert inbox.overdue(None)[areas[0].pk][0] == 1
    assert inbox.to_decide([areas[0].pk])[areas[0].pk][0] == 1
    assert inbox.to_decide([areas[1].pk]) == {}
    [row] = responsiveness_per_office()
    assert row[0] == "Tiefbauamt" and row[1:3] == [2, 1] and row[4] == 1
    assert responsiveness_per_office(area_ids=[areas[1].pk]) == []


def test_report_shows_the_offices_table(client, idea, office, manager):
    forward(idea, office, manager)
    client.force_login(make_coordination("koordination"))
    page = client.get(reverse("participation:reports"))
    assert "Antworten der Ämter" in page.content.decode()
    assert "Tiefbauamt" in page.content.decode()


def test_only_coordination_edits_offices(client, office, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:participation_office_changelist")).status_code == 200
    assert client.get(reverse("admin:participation_office_add")).status_code == 403
    client.force_login(make_coordination("koordination"))
    assert client.get(reverse("admin:participation_office_add")).status_code == 200


def test_forwarding_is_offered_on_public_ideas_once_offices_exist(client, idea, manager):
    client.force_login(manager)
    change = reverse("admin:participation_idea_change", args=[idea.pk])
    actions = [item["action"] for item in client.get(change).context["moderation"]["forms"]]
    assert "forward" not in actions
    Office.objects.create(name="Ordnungsamt", email="ordnung@stadt.example")
    actions = [item["action"] for item in client.get(change).context["moderation"]["forms"]]
    assert "forward" in actions


def test_the_back_office_inbox_shows_answers_to_decide_and_overdue_requests(
    client, areas, idea, office, manager
):
    late = forward(idea, office, manager)
    Forwarding.objects.filter(pk=late.pk).update(deadline=TODAY() - datetime.timedelta(days=3))
    answered = forward(make_idea(areas[0], title="Ampel"), office, manager)
    services.forwarding_answer(forwarding=answered, text="Ja.")
    client.force_login(manager)
    page = client.get("/verwaltung/").content.decode()
    assert "Antworten der Ämter zu entscheiden" in page
    assert "Überfällige Anfragen an Ämter" in page
    assert "stand=ueberfaellig" in page and "stand=entscheiden" in page
