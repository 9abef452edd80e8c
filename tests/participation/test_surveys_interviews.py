import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.surveys.models import HelperContact, SurveyChoice, SurveyResponse
from participation.surveys.services import helper_contact_create, helper_contacts_purge
from participation.topics.models import Topic
from quartier.purge import purges
from tests.factories import make_area, make_coordination, make_manager, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(survey_areas):
    return survey_areas


def interview(client, survey, area, **extra):
    yes = SurveyChoice.objects.get(question__survey=survey, text="Ja")
    data = {
        "area": area.pk,
        "channel": "doorstep",
        f"frage_{survey.questions.get(position=1).pk}": yes.pk,
        "website": "",
        **extra,
    }
    return client.post(reverse("participation:survey-interview", args=[survey.pk]), data)


def test_only_staff_of_the_area_enter_interviews(client, survey, areas):
    url = reverse("participation:survey-interview", args=[survey.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user("nein@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(make_manager(make_area("Anderswo")))
    assert client.get(url).status_code == 404
    client.force_login(make_manager(areas[0]))
    page = client.get(url).content.decode()
    assert "an der Haustür" in page and "Würden Sie sich engagieren?" in page


def test_interview_records_channel_and_interviewer_without_contact(client, survey, areas):
    manager = make_manager(areas[0])
    client.force_login(manager)
    assert interview(client, survey, areas[0]).status_code == 302
    assert interview(client, survey, areas[0], channel="street").status_code == 302
    responses = SurveyResponse.objects.order_by("pk")
    assert [r.channel for r in responses] == ["doorstep", "street"]
    assert {r.interviewer for r in responses} == {manager} and {r.user for r in responses} == {None}
    assert not HelperContact.objects.exists()


def test_contact_only_with_consent(client, survey, areas):
    client.force_login(make_coordination())
    topic = Topic.objects.filter(is_active=True).first()
    helper = {
        "would_help": "on",
        "interests": "Straßenfest",
        "helper_name": "Frau Beispiel",
        "helper_contact": "0170 1234567",
    }
    if topic:
        helper["topics"] = [topic.pk]
    refused = interview(client, survey, areas[1], **helper)
    assert refused.status_code == 400
    assert "ausdrückliche Einwilligung" in refused.content.decode()
    assert not SurveyResponse.objects.exists() and not HelperContact.objects.exists()
    assert interview(client, survey, areas[1], consent="on", **helper).status_code == 302
    contact = HelperContact.objects.get()
    assert contact.area == areas[1] and contact.interests == "Straßenfest"
    assert contact.consent_purpose and contact.delete_after > timezone.localdate()


def test_contacts_are_deleted_after_their_months(settings, areas):
    settings.HELPER_CONTACT_MONTHS = 6
    contact = helper_contact_create(
        area=areas[0], name="A", contact="a@example.org", interests="Garten"
    )
    assert (contact.delete_after - timezone.localdate()).days in range(150, 190)
    assert "helper-contacts" in {purge.key for purge in purges()}
    assert helper_contacts_purge() == 0
    later = timezone.now() + datetime.timedelta(days=200)
    assert helper_contacts_purge(now=later, dry_run=True) == 1
    assert helper_contacts_purge(now=later) == 1
    assert not HelperContact.objects.exists()


def test_printable_questionnaire_has_a_qr_code(client, survey):
    page = client.get(reverse("participation:survey-print", args=[survey.pk])).content.decode()
    assert '<svg role="img"' in page and "QR-Code zur Online-Umfrage" in page
    assert "Fahren Sie Rad?" in page and "☐ Ja" in page


def test_report_has_a_survey_section(client, survey, areas):
    client.force_login(make_coordination())
    for _ in range(3):
        interview_done = SurveyResponse.objects.create(
            survey=survey, area=areas[0], channel="doorstep"
        )
    assert interview_done
    SurveyResponse.objects.create(survey=survey, area=areas[1])
    helper_contact_create(area=areas[0], name="B", contact="b@example.org", interests="Garten")
    page = client.get(reverse("participation:reports")).content.decode()
    assert "Umfragen und aktivierende Befragungen" in page
    assert "Wie lebt es sich hier?" in page
    assert "Menschen, die mitmachen möchten" in page


def test_import_population_loads_all_or_nothing(tmp_path, client, areas):
    from django.core.management import CommandError, call_command

    from participation.surveys.models import PopulationFigure

    south = areas[0]
    good = tmp_path / "bevoelkerung.csv"
    good.write_text(f"gebiet;gruppe;anzahl\n{south.slug};unter 18;1200\n{south.slug};65+;900\n")
    call_command("import_population", str(good))
    assert PopulationFigure.objects.get(area=south, group="65+").count == 900
    bad = tmp_path / "kaputt.csv"
    bad.write_text(f"{south.slug};unter 18;1300\nnirgendwo;65+;5\n")
    with pytest.raises(CommandError, match="Line 2"):
        call_command("import_population", str(bad))
    assert PopulationFigure.objects.get(area=south, group="unter 18").count == 1200
    client.force_login(make_coordination())
    page = client.get(reverse("participation:reports")).content.decode()
    assert "Bevölkerung je Gebiet und Gruppe" in page and "1200" in page


def make_volunteer(*areas):
    from participation.surveys.models import InterviewVolunteer

    user = make_user()
    volunteer = InterviewVolunteer.objects.create(user=user)
    volunteer.areas.set(areas)
    return user


def test_volunteers_enter_interviews_for_their_areas_only(client, survey, areas):
    south, north, _centre = areas
    volunteer = make_volunteer(south)
    client.force_login(volunteer)
    url = reverse("participation:survey-interview", args=[survey.pk])
    page = client.get(url).content.decode()
    assert f">{south.name}</option>" in page and f">{north.name}</option>" not in page
    assert interview(client, survey, south).status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.interviewer == volunteer and stored.user is None and stored.area == south
    response = interview(client, survey, north)
    assert response.status_code == 400 and SurveyResponse.objects.count() == 1
    assert "Auswahl" in response.content.decode()  # not one of the choices offered
    # the link on the questionnaire, and nothing else: no admin, no export
    assert "Gespräch erfassen" in client.get(survey.get_absolute_url()).content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    export = reverse("participation:survey-export-csv", args=[survey.pk])
    assert client.get(export).status_code == 403


def test_volunteers_of_other_areas_and_inactive_ones_are_refused(client, survey, areas):
    from participation.surveys.models import InterviewVolunteer

    client.force_login(make_volunteer(make_area("Anderswo")))
    url = reverse("participation:survey-interview", args=[survey.pk])
    assert client.get(url).status_code == 404
    volunteer = make_volunteer(areas[0])
    InterviewVolunteer.objects.filter(user=volunteer).update(is_active=False)
    client.force_login(volunteer)
    assert client.get(url).status_code == 403
    assert "Gespräch erfassen" not in client.get(survey.get_absolute_url()).content.decode()


def test_managers_add_volunteers_for_their_areas_by_email(client, areas):
    from participation.surveys.models import InterviewVolunteer

    person = make_user(email="helferin@example.org")
    client.force_login(make_manager(areas[0]))
    url = reverse("admin:participation_interviewvolunteer_add")
    page = client.get(url).content.decode()
    assert areas[0].name in page and areas[1].name not in page
    response = client.post(url, {"email": "niemand@example.org", "areas": [areas[0].pk]})
    assert "kein aktives Konto" in response.content.decode()
    response = client.post(
        url, {"email": "Helferin@example.org", "areas": [areas[0].pk], "is_active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert InterviewVolunteer.objects.get().user == person
    response = client.post(url, {"email": "helferin@example.org", "areas": [areas[1].pk]})
    assert response.status_code == 200 and InterviewVolunteer.objects.count() == 1
