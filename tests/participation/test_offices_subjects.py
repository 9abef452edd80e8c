"""Offices asked about a fund application or a survey's results: the same request, link, answer,
reminders and decision as for ideas; publishing passes the answer on to the applicant or shows
it beside the survey's results."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from participation.funds.models import ApplicationEvent
from participation.offices import inbox, services
from participation.offices.forms import DecideForm
from participation.offices.models import Decision, Forwarding, Office
from participation.offices.selectors import responsiveness_per_office
from participation.surveys.models import Survey
from tests.factories import make_coordination, make_manager, make_user

from .fund_factories import make_application, make_fund
from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def areas():
    return two_areas()


@pytest.fixture
def office():
    return Office.objects.create(name="Grünflächenamt", email="gruen@stadt.example")


@pytest.fixture
def manager(areas):
    return make_manager(areas[0], username="qm-nord")


@pytest.fixture
def application(areas):
    return make_application(make_fund(areas[0]), user=make_user())


@pytest.fixture
def city_survey(areas):
    survey = Survey.objects.create(
        title="Wie lebt es sich hier?",
        starts_on=TODAY() - datetime.timedelta(days=3),
        ends_on=TODAY() + datetime.timedelta(days=10),
        is_published=True,
    )
    survey.areas.set(areas)
    return survey


def forward_data(**extra):
    return {
        "office": extra.get("office"),
        "question": extra.get("question", "Darf das Fest auf der Grünfläche stattfinden?"),
        "deadline": extra.get("deadline", (TODAY() + datetime.timedelta(days=14)).isoformat()),
    }


def forward_url(kind, pk):
    return reverse("admin:participation_forwarding_forward", args=[kind, pk])


def answer_path(message):
    url = re.search(r"https?://\S+/amt/antwort/\S+/", message.body).group(0)
    return url[url.index("/amt/") :]


def test_application_forwarded_answered_and_passed_on_to_the_applicant(
    client, application, office, manager, requests_commit
):
    client.force_login(manager)
    mail.outbox.clear()
    page = client.get(forward_url("antrag", application.pk))
    assert page.status_code == 200
    assert "Straßenfest Lindenplatz" in page.content.decode()
    response = client.post(forward_url("antrag", application.pk), forward_data(office=office.pk))
    forwarding = Forwarding.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:participation_forwarding_change", args=[forwarding.pk])
    assert (forwarding.application, forwarding.idea, forwarding.survey) == (application, None, None)
    [request] = mail.outbox
    assert request.to == ["gruen@stadt.example"]
    assert request.subject.endswith("] Anfrage zum Fondsantrag „Straßenfest Lindenplatz“")
    assert "Ein Fest für alle Nachbarinnen und Nachbarn." in request.body
    assert "Nordstadt" in request.body

    # The office answers through its link; the page shows the application, not an idea.
    client.logout()
    path = answer_path(request)
    answer_page = client.get(path).content.decode()
    assert "Der Fondsantrag" in answer_page and "Straßenfest Lindenplatz" in answer_page
    assert "erika@example.org" not in answer_page  # the applicant's address stays private
    mail.outbox.clear()
    client.post(path, {"answer": "Ja, mit Genehmigung nach Grünflächensatzung."})
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Fondsantrag „Straßenfest Lindenplatz“" in mail.outbox[0].body

    # The manager passes it on to the applicant: mail and the application's history.
    client.force_login(manager)
    decide = reverse("admin:participation_forwarding_decide", args=[forwarding.pk])
    assert "status_to" not in client.get(decide).content.decode()
    mail.outbox.clear()
    response = client.post(decide, {"decision": DecideForm.PUBLISH, "text": ""})
    assert response.status_code == 302
    forwarding.refresh_from_db()
    assert forwarding.decision == Decision.PUBLISHED
    assert forwarding.published_text == "Ja, mit Genehmigung nach Grünflächensatzung."
    assert forwarding.public_answer is None
    [statement] = mail.outbox
    assert statement.to == ["erika@example.org"]
    assert statement.subject.endswith("] Stellungnahme zu Ihrem Antrag: Straßenfest Lindenplatz")
    assert "Grünflächenamt" in statement.body
    assert "Ja, mit Genehmigung nach Grünflächensatzung." in statement.body
    assert ApplicationEvent.objects.filter(
        application=application, note__contains="Grünflächensatzung"
    ).exists()


def test_survey_results_forwarded_and_the_published_answer_shown_beside_them(
    client, city_survey, areas, office, on_commit
):
    manager = make_manager(areas[1], username="qm-sued")
    with on_commit():
        forwarding = services.forwarding_create(
            survey=city_survey,
            office=office,
            question="Was folgt aus den Antworten zum Radverkehr?",
            deadline=TODAY() + datetime.timedelta(days=7),
            by=manager,
        )
    assert "Ergebnissen der Umfrage „Wie lebt es sich hier?“" in mail.outbox[-1].body
    assert f"/umfragen/{city_survey.pk}/ergebnisse/" in mail.outbox[-1].body
    services.forwarding_answer(forwarding=forwarding, text="Wir prüfen zwei neue Radwege.")
    results = reverse("participation:survey-results", args=[city_survey.pk])
    assert "Stellungnahmen der Ämter" not in client.get(results).content.decode()

    services.forwarding_decide(forwarding=forwarding, by=manager, publish=True, text="")
    page = client.get(results).content.decode()
    assert "Stellungnahmen der Ämter" in page
    assert "Grünflächenamt" in page and "Wir prüfen zwei neue Radwege." in page


def test_an_internal_answer_about_a_survey_stays_internal(client, city_survey, office):
    coordination = make_coordination()
    forwarding = services.forwarding_create(
        survey=city_survey,
        office=office,
        question="Frage",
        deadline=TODAY() + datetime.timedelta(days=7),
        by=coordination,
    )
    services.forwarding_answer(forwarding=forwarding, text="Nur für euch.")
    services.forwarding_decide(forwarding=forwarding, by=coordination, publish=False)
    page = client.get(reverse("participation:survey-results", args=[city_survey.pk]))
    assert "Nur für euch." not in page.content.decode()
    assert Forwarding.objects.get().decision == Decision.INTERNAL


def test_managers_of_other_areas_find_nothing_and_cannot_forward(
    client, areas, application, city_survey, office
):
    city_survey.areas.set([areas[0]])
    other = make_manager(areas[1], username="qm-sued-2")
    client.force_login(other)
    assert client.get(forward_url("antrag", application.pk)).status_code == 404
    assert client.get(forward_url("umfrage", city_survey.pk)).status_code == 404
    assert client.get(forward_url("beitrag", application.pk)).status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.forwarding_create(
            application=application,
            office=office,
            question="Frage",
            deadline=TODAY() + datetime.timedelta(days=7),
            by=other,
        )
    assert Forwarding.objects.count() == 0


def test_unconfirmed_applications_are_not_forwarded_and_the_form_keeps_its_text(
    client, areas, office, manager
):
    unconfirmed = make_application(make_fund(areas[0]))  # a visitor's, not yet confirmed
    client.force_login(manager)
    mail.outbox.clear()
    response = client.post(
        forward_url("antrag", unconfirmed.pk),
        forward_data(office=office.pk, question="Meine Frage bleibt stehen"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Der Antrag ist noch nicht bestätigt." in page
    assert "Meine Frage bleibt stehen" in page
    assert Forwarding.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"question": "Frage\x00"}, "unsichtbares Steuerzeichen"),
        ({"deadline": "morgen"}, "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_hostile_forward_input_gets_form_errors(
    client, application, office, manager, data, message
):
    client.force_login(manager)
    response = client.post(
        forward_url("antrag", application.pk), forward_data(office=office.pk, **data)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Forwarding.objects.count() == 0


def test_a_request_is_about_exactly_one_thing(areas, application, office):
    idea = make_idea(areas[0])
    deadline = TODAY() + datetime.timedelta(days=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        Forwarding.objects.create(
            idea=idea, application=application, office=office, question="?", deadline=deadline
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Forwarding.objects.create(office=office, question="?", deadline=deadline)
    with pytest.raises(ValueError):
        services.forwarding_create(
            idea=idea,
            application=application,
            office=office,
            question="?",
            deadline=deadline,
            by=None,
        )


def test_overdue_application_requests_are_reminded_and_counted_per_area(
    areas, application, office, manager, django_capture_on_commit_callbacks
):
    forwarding = services.forwarding_create(
        application=application,
        office=office,
        question="Frage",
        deadline=TODAY() + datetime.timedelta(days=3),
        by=manager,
    )
    Forwarding.objects.filter(pk=forwarding.pk).update(
        deadline=TODAY() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forwardings_remind() == 1
    subjects = sorted(m.subject.split("] ", 1)[1] for m in mail.outbox)
    assert subjects == [
        "Erinnerung: Anfrage zum Fondsantrag „Straßenfest Lindenplatz“",
        "Überfällig: Grünflächenamt zu „Straßenfest Lindenplatz“",
    ]
    north, south = areas
    assert inbox.overdue([north.pk]) == {north.pk: (1, forwarding.created_at)}
    assert inbox.overdue([south.pk]) == {}
    assert responsiveness_per_office(area_ids=[north.pk]) == [["Grünflächenamt", 1, 0, None, 1]]
    assert responsiveness_per_office(area_ids=[south.pk]) == []


def test_the_requests_list_scopes_applications_to_their_managers(
    client, areas, application, office, manager
):
    forwarding = services.forwarding_create(
        application=application,
        office=office,
        question="Frage",
        deadline=TODAY() + datetime.timedelta(days=3),
        by=manager,
    )
    client.force_login(manager)
    changelist = reverse("admin:participation_forwarding_changelist")
    assert "Fondsantrag: Straßenfest Lindenplatz" in client.get(changelist).content.decode()
    other = make_manager(areas[1], username="qm-sued-3")
    client.force_login(other)
    assert "Straßenfest Lindenplatz" not in client.get(changelist).content.decode()
    change = reverse("admin:participation_forwarding_change", args=[forwarding.pk])
    assert client.get(change).status_code == 302  # not found for them: back to the index


def test_office_account_lists_requests_of_every_kind(client, application, office, manager):
    services.forwarding_create(
        application=application,
        office=office,
        question="Frage",
        deadline=TODAY() + datetime.timedelta(days=3),
        by=manager,
    )
    account = make_user(username="gruen-konto")
    office.users.add(account)
    client.force_login(account)
    page = client.get(reverse("participation:office-requests")).content.decode()
    assert "Straßenfest Lindenplatz" in page and "(Fondsantrag)" in page


def test_admin_links_to_forwarding_from_the_application_and_the_survey(
    client, application, city_survey
):
    client.force_login(make_coordination())
    page = client.get(
        reverse("admin:participation_fundapplication_change", args=[application.pk])
    ).content.decode()
    assert forward_url("antrag", application.pk) in page
    page = client.get(
        reverse("admin:participation_survey_change", args=[city_survey.pk])
    ).content.decode()
    assert forward_url("umfrage", city_survey.pk) in page
