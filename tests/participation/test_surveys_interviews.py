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
