import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from participation.meetings.forms import MeetingAdminForm
from participation.meetings.models import Meeting, Registration
from participation.meetings.sections import next_meetings_context
from participation.meetings.services import meeting_create, registration_create
from tests.factories import make_area, make_user

from .meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

LIST = reverse("participation:meeting-list")


@pytest.fixture
def south():
    return make_area("Südstadt")


def post_registration(client, meeting, **data):
    payload = {"name": "Rita Rot", "email": "rita@example.org", "people": "1", "note": ""}
    payload.update(data)
    return client.post(meeting.get_absolute_url(), payload)


# --- list page ---------------------------------------------------------------------------------


def test_list_shows_upcoming_and_past_separately(client, south):
    future = make_meeting(south, title="Kommt noch")
    past = make_meeting(south, days=-3, title="War schon")
    page = client.get(LIST).content.decode()
    assert future.title in page and past.title not in page
    page = client.get(LIST + "?zeit=vergangen").content.decode()
    assert past.title in page and future.title not in page


def test_list_filters_by_area_with_sub_areas_and_by_kind(client, south):
    sub = make_area("Am Park", parent=south)
    north = make_area("Nordstadt")
    in_sub = make_meeting(sub, title="Im Teilgebiet", kind=Meeting.Kind.WALK)
    in_north = make_meeting(north, title="Im Norden", kind=Meeting.Kind.WALK)
    talk = make_meeting(south, title="Runde am Tisch", kind=Meeting.Kind.TALK)
    page = client.get(LIST, {"area": south.pk}).content.decode()
    assert in_sub.title in page and talk.title in page and in_north.title not in page
    page = client.get(LIST, {"kind": "walk"}).content.decode()
    assert in_sub.title in page and in_north.title in page and talk.title not in page


def test_list_map_data_is_geojson_in_a_json_script(client, south):
    make_meeting(south, title="</script><script>alert(1)</script>")
    page = client.get(LIST).content.decode()
    assert 'id="meetings-geojson"' in page
    assert "<script>alert(1)" not in page


def test_list_query_count_does_not_grow_with_meetings(client, south):
    north = make_area("Nordstadt")
    make_meeting(south, capacity=5)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(11):
        meeting = make_meeting(north if n % 2 else south, capacity=5)
        registration_create(meeting=meeting, name="A", email=f"a{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few)


def test_area_section_next_meetings_query_count_constant(south, django_assert_num_queries):
    sub = make_area("Am Park", parent=south)
    make_meeting(south)
    with django_assert_num_queries(1):
        few = next_meetings_context(south, {south.pk, sub.pk}, None)
    for _ in range(6):
        make_meeting(sub)
    make_meeting(south, days=-1)
    with django_assert_num_queries(1):
        many = next_meetings_context(south, {south.pk, sub.pk}, None)
    assert len(few["next_meetings"]) == 1 and len(many["next_meetings"]) == 5


# --- detail page and registration form ----------------------------------------------------------


def test_detail_shows_accessibility_and_places(client, south):
    meeting = make_meeting(
        south, capacity=2, step_free=True, hearing_loop=True, languages="Deutsch, Arabisch"
    )
    registration_create(meeting=meeting, name="A", email="a@example.org")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Stufenlos erreichbar" in page
    assert "Induktionsschleife" in page
    assert "Deutsch, Arabisch" in page
    assert "1 von 2 frei" in page


def test_signing_up_through_the_page(client, south, django_capture_on_commit_callbacks):
    meeting = make_meeting(south, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, meeting)
    assert response.status_code == 302
    assert Registration.objects.get().status == "confirmed"
    assert mail.outbox[0].to == ["rita@example.org"]
    post_registration(client, meeting, email="zweite@example.org")
    assert Registration.objects.get(email="zweite@example.org").status == "waiting"


def test_account_prefills_and_is_linked(client, south):
    user = make_user("bert", first_name="Bert", last_name="Beispiel")
    client.force_login(user)
    meeting = make_meeting(south)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'value="Bert Beispiel"' in page and 'value="bert@example.org"' in page
    post_registration(client, meeting, name="Bert Beispiel", email="bert@example.org")
    assert Registration.objects.get().user == user


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"people": "0"}, "mindestens eine Person"),
        ({"people": "500"}, "Höchstens 10 Personen"),
        ({"people": "drei"}, "ganze Zahl"),
        ({"name": ""}, "zwingend erforderlich"),
        ({"name": "x" * 500}, "höchstens 120 Zeichen"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, south, data, message):
    meeting = make_meeting(south)
    response = post_registration(client, meeting, note="Ich brauche einen Rollstuhlplatz", **data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Ich brauche einen Rollstuhlplatz" in page
    assert not Registration.objects.exists()


def test_html_in_input_is_escaped(client, south):
    meeting = make_meeting(south)
    response = post_registration(client, meeting, name="<script>alert(1)</script>", email="x")
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_honeypot_and_rate_limit(client, south, settings):
    meeting = make_meeting(south)
    assert post_registration(client, meeting, website="http://spam").status_code == 400
    assert not Registration.objects.exists()
    for n in range(10):
        post_registration(client, meeting, email=f"r{n}@example.org")
    response = post_registration(client, meeting, email="elf@example.org")
    assert "sehr oft" in response.content.decode()
    assert Registration.objects.count() == 10


def test_group_larger_than_capacity_gets_a_form_error(client, south):
    meeting = make_meeting(south, capacity=2)
    response = post_registration(client, meeting, people="3")
    assert response.status_code == 400
    assert "insgesamt nur 2 Plätze" in response.content.decode()


def test_past_meeting_shows_minutes_and_ideas_section_but_no_form(client, south):
    meeting = make_meeting(south, days=-2, status="held", minutes="Wir sprachen über <b>Bänke</b>.")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Wir sprachen über &lt;b&gt;Bänke&lt;/b&gt;." in page
    assert "Ideen aus diesem Treffen" in page
    assert 'name="email"' not in page
    assert post_registration(client, meeting).status_code == 400
    assert not Registration.objects.exists()


# --- cancel link -------------------------------------------------------------------------------


def test_cancel_link_confirms_then_cancels_on_post(
    client, south, django_capture_on_commit_callbacks
):
    meeting = make_meeting(south, capacity=1)
    first = registration_create(meeting=meeting, name="A", email="a@example.org")
    waiting = registration_create(meeting=meeting, name="B", email="b@example.org")
    url = first.get_cancel_url()
    assert url.startswith("/treffen/abmelden/")
    page = client.get(url)
    assert page.status_code == 200 and "Ja, abmelden" in page.content.decode()
    first.refresh_from_db()
    assert first.status == "confirmed"  # GET changes nothing (mail scanners follow links)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == ("cancelled", "confirmed")
    assert mail.outbox[0].to == ["b@example.org"]


def test_unknown_cancel_token_is_404(client):
    assert client.get("/treffen/abmelden/nicht-echt/").status_code == 404
    assert client.post("/treffen/abmelden/nicht-echt/").status_code == 404


# --- calendar ----------------------------------------------------------------------------------


def test_meeting_ics_is_valid_icalendar(client, south):
    meeting = make_meeting(south, title="Stadtteilgespräch", text="Alle sind willkommen")
    response = client.get(reverse("participation:meeting-ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert event.get("DTSTAMP") is not None
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == meeting.ends_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Stadtteilgespräch"
    assert str(event["LOCATION"]) == meeting.address


def test_area_ics_includes_sub_areas_only(client, south):
    sub = make_area("Am Park", parent=south)
    north = make_area("Nordstadt")
    ours = [make_meeting(south), make_meeting(sub)]
    make_meeting(north)
    response = client.get(reverse("participation:area-meetings-ics", args=[south.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"meeting-{m.pk}@127.0.0.1:8000" for m in ours
    )
    assert client.get("/quartiere/gibt-es-nicht/treffen.ics").status_code == 404


# --- validation of meetings -----------------------------------------------------------------------


def test_end_before_start_and_capacity_rules(south):
    start = timezone.now() + datetime.timedelta(days=3)
    base = {"area": south, "title": "T", "address": "Hier", "starts_at": start}
    with pytest.raises(Exception, match="Ende muss nach dem Beginn"):
        meeting_create(**base, ends_at=start - datetime.timedelta(hours=1))
    for capacity in (0, -3):
        with pytest.raises(Exception):  # noqa: B017 - model validation or PositiveIntegerField
            meeting_create(**base, ends_at=start + datetime.timedelta(hours=1), capacity=capacity)
    with pytest.raises(Exception, match="Vergangenheit"):
        meeting_create(
            **{**base, "starts_at": timezone.now() - datetime.timedelta(days=1)},
            ends_at=timezone.now(),
        )
    with pytest.raises(Exception, match="Der Ort ist ungültig"):
        meeting_create(
            **base,
            ends_at=start + datetime.timedelta(hours=1),
            location={"type": "Point", "coordinates": [500, 51]},
        )
    assert not Meeting.objects.exists()


def test_database_refuses_end_before_start_and_zero_capacity(south):
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(area=south, title="T", address="A", starts_at=start, ends_at=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(south, capacity=0)
    meeting = make_meeting(south)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(meeting=meeting, name="A", email="a@example.org", people=0)


def test_admin_form_refuses_new_meetings_in_the_past(south):
    past = timezone.localtime() - datetime.timedelta(days=2)
    form = MeetingAdminForm(
        data={
            "title": "Alt",
            "area": south.pk,
            "kind": "talk",
            "status": "planned",
            "address": "Hier",
            "starts_at": past.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (past + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "languages": "Deutsch",
        }
    )
    assert not form.is_valid()
    assert "Vergangenheit" in str(form.errors)


def test_area_section_renders_next_meetings_and_calendar_link(south):
    from django.template.loader import render_to_string

    make_meeting(south, title="Bald <em>hier</em>")
    html = render_to_string(
        "participation/meetings/_next_meetings.html", next_meetings_context(south, {south.pk}, None)
    )
    assert "Nächste Treffen" in html
    assert "Bald &lt;em&gt;hier&lt;/em&gt;" in html
    assert f"/quartiere/{south.slug}/treffen.ics" in html


def test_area_sections_and_split_hook_are_registered():
    from neighbourhoods.registry import area_sections, located_models

    assert {"next-meetings", "mood"} <= {section.key for section in area_sections()}
    assert Meeting in [entry.model for entry in located_models()]


def test_personal_data_export_and_anonymise(south):
    from quartier.personal_data import providers

    user = make_user()
    registration_create(meeting=make_meeting(south), name="A", email="a@example.org", user=user)
    (provider,) = [p for p in providers() if p.key == "meetings"]
    assert provider.export(user)["meeting_registrations"][0]["email"] == "a@example.org"
    (section,) = provider.contributions
    rows = list(section.items(user))
    assert len(rows) == 1 and len(section.context(user, rows)["coming"]) == 1
    provider.anonymise(user)
    assert Registration.objects.get().user is None


def test_admin_form_refuses_a_point_in_another_area():
    from tests.factories import square

    south = make_area("Süd", boundary=square(7.40, 51.40, 0.1))
    make_area("Nord", boundary=square(7.40, 51.60, 0.1))
    start = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "title": "Neu",
        "area": south.pk,
        "kind": "talk",
        "status": "planned",
        "address": "Hier",
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "languages": "Deutsch",
        "location": '{"type": "Point", "coordinates": [7.45, 51.65]}',
    }
    form = MeetingAdminForm(data=data)
    assert not form.is_valid()
    assert "liegt nicht in Süd, sondern in Nord" in str(form.errors["location"])
    data["location"] = '{"type": "Point", "coordinates": [7.45, 51.45]}'
    assert MeetingAdminForm(data=data).is_valid()


def test_meeting_page_keeps_the_area_outline_until_the_area_changes(client, settings):
    """The area's outline on the meeting's map is read once (boundaries are large), and a
    changed area shows at once."""
    from tests.factories import square

    settings.FRAGMENT_CACHE_SECONDS = 300
    south = make_area("Süd", boundary=square(7.40, 51.40, 0.1))
    url = make_meeting(south).get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)
    assert len(warm) == 0  # the meeting's row (with its area's name) is kept too
    outline = response.context["meeting_geojson"]["features"][0]
    assert outline["properties"]["name"] == "Süd"
    south.name = "Südstadt"
    south.save()
    response = client.get(url)
    outline = response.context["meeting_geojson"]["features"][0]
    assert outline["properties"]["name"] == "Südstadt"
    assert "Südstadt" in response.content.decode()  # the kept row's area too


def test_meeting_page_shows_a_registration_and_a_change_at_once(client, settings):
    """The meeting's kept row follows a registration (its places) and a change of the meeting;
    a registration is checked against the row read afresh."""
    settings.FRAGMENT_CACHE_SECONDS = 300
    meeting = make_meeting(make_area("Süd"), capacity=5, title="Sprechstunde")
    url = meeting.get_absolute_url()
    assert "5 von 5 frei" in client.get(url).content.decode()
    registration_create(meeting=meeting, name="Ada", email="ada@example.org", people=2)
    assert "3 von 5 frei" in client.get(url).content.decode()
    meeting.title = "Offene Sprechstunde"
    meeting.save()
    assert "Offene Sprechstunde" in client.get(url).content.decode()


def test_a_running_meeting_is_upcoming_and_a_meeting_lasts_at_most_a_month():
    """The list reads the index on the start from a month ago (MAX_MEETING_DAYS): a meeting
    that began two days ago and still runs is listed; a longer one is refused when saved."""
    from django.core.exceptions import ValidationError

    from participation.meetings.models import MAX_MEETING_DAYS, Meeting
    from tests.participation.helpers import two_areas

    north, _south = two_areas()
    week = make_meeting(north, days=-2, hours=24 * 5, title="Aktionswoche")
    over = make_meeting(north, days=-3, hours=1, title="Vorbei")
    assert list(Meeting.objects.upcoming().filter(pk__in=[week.pk, over.pk])) == [week]
    assert list(Meeting.objects.past().filter(pk__in=[week.pk, over.pk])) == [over]
    too_long = make_meeting(north, hours=24 * (MAX_MEETING_DAYS + 1))
    with pytest.raises(ValidationError) as refused:
        too_long.full_clean()
    assert "höchstens 31 Tage" in str(refused.value)
