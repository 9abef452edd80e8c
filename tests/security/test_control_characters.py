"""No input breaks an output: control characters are refused at input, and rows that hold
them anyway (old data, written directly into the database) still give well-formed feeds,
Open311 XML, calendars, spreadsheets and mails.

Hostile text: \\x0c (form feed) and \\x1b (escape) are refused by XML 1.0; CR/LF in a name
breaks mail subjects and calendar names; `<img src=x onerror=…>` must never become markup in
a feed reader.
"""

import logging
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.db import models
from icalendar import Calendar
from openpyxl import load_workbook

from neighbourhoods.models import Area
from participation.ideas.models import Answer, Idea
from participation.meetings.models import Meeting
from participation.subscriptions import notifications
from participation.subscriptions import services as subscription_services
from participation.subscriptions.models import Frequency
from quartier.text import clean_line, clean_text, validate_multiline, validate_single_line
from tests.factories import make_coordination, make_user
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture
def broken(settings):
    """Rows as old data (or a direct import) could hold them: written around every check."""
    north, south = two_areas()
    idea = make_idea(north, title="Bänke", text="Erste Zeile\nzweite Zeile")
    Idea.objects.filter(pk=idea.pk).update(
        title="Bänke\x0c am \x1bMarkt\ufffe",
        text=f"{PAYLOAD}\nZeile\x0bzwei",  # (PostgreSQL stores no NUL at all)
    )
    Answer.objects.create(
        idea=idea, text="Geplant\x1b.", status_from="published", status_to="planned"
    )
    meeting = make_meeting(north)
    Meeting.objects.filter(pk=meeting.pk).update(
        title="Treffen\x0c\r\nzwei", address="Haupt\x1bstraße 1\r\nHof", text="Text\x0c mit\nZeilen"
    )
    Area.objects.filter(pk=north.pk).update(name="Nord\r\nstadt\x0c")
    north.refresh_from_db()
    return {"area": north, "idea": idea, "meeting": meeting}


# --- the module ----------------------------------------------------------------------------


def test_validators_and_cleaners():
    from django.core.exceptions import ValidationError

    validate_multiline("Zwei\nZeilen\tmit Tab\r\n")
    validate_single_line("Eine Zeile – mit Ümlauten")
    for value in ("a\x0cb", "a\x1b", "a\x00", "a\x7f", "a\ufffe"):
        with pytest.raises(ValidationError):
            validate_multiline(value)
    for value in ("a\nb", "a\tb", "a\rb", "a\x0cb", "a\u2028b"):
        with pytest.raises(ValidationError) as refused:
            validate_single_line(value)
        assert "Zeile" in refused.value.messages[0]
    assert clean_text("a\x0cb\nc\x1b\t") == "ab\nc\t"
    assert clean_line(" Nord\r\nstadt\x0c\t ") == "Nord stadt"


# --- input ---------------------------------------------------------------------------------


def test_every_text_field_of_the_portals_models_refuses_control_characters():
    from django.apps import apps

    from quartier.pagecache import CONTENT_APPS

    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in CONTENT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and field.name != "password":
                kinds = [
                    check
                    for check in field.validators
                    if check in (validate_single_line, validate_multiline)
                ]
                assert len(kinds) == 1, f"{model._meta.label}.{field.name}"
                checked += 1
    assert checked > 40


OUR_APPS = {"quartier", "neighbourhoods", "participation", "network"}


def test_every_plain_form_with_text_fields_refuses_control_characters():
    """A census like the rate limits': a new form with a text field fails here until it
    takes PlainTextFormMixin (model forms check through their model's fields)."""
    import importlib
    import pkgutil

    from django import forms

    from quartier.text import PlainTextFormMixin

    for package in sorted(OUR_APPS):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.endswith(("forms", "admin")) or ".forms" in info.name:
                importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    missing = []
    from quartier.accounts.forms import AdminLoginForm, LoginForm

    # the user name is only looked up, never stored or shown
    not_checked = {LoginForm, AdminLoginForm}
    for form in set(subclasses(forms.Form)):
        if form.__module__.split(".")[0] not in OUR_APPS or form in not_checked:
            continue
        text_fields = [
            name
            for name, field in form.base_fields.items()
            if isinstance(field, forms.CharField)
            and not isinstance(field, forms.EmailField)
            and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        ]
        if text_fields and not issubclass(form, PlainTextFormMixin):
            missing.append(f"{form.__module__}.{form.__name__}: {text_fields}")
    assert missing == []


def test_idea_form_says_what_is_wrong_and_keeps_the_text(client):
    north, _south = two_areas()
    response = client.post(
        "/ideen/neu/",
        {"kind": "idea", "title": "Bänke\x0c am Markt", "text": "Text\x1b", "area": north.pk},
    )
    assert response.status_code == 400  # the form again, with its messages
    form = response.context["form"]
    assert "Zeile" in form.errors["title"][0]
    assert "Steuerzeichen" in form.errors["text"][0]
    assert "Bänke" in response.content.decode()
    assert not Idea.objects.exists()


def test_comment_with_control_character_is_refused(client):
    north, _south = two_areas()
    idea = make_idea(north)
    client.force_login(make_user("berta"))
    response = client.post(f"/ideen/{idea.pk}/kommentieren/", {"text": "Gut\x1b!"})
    assert response.status_code == 400
    assert "Steuerzeichen" in response.content.decode()
    assert not idea.comments.exists()


def test_admin_refuses_an_area_name_with_a_line_break(client):
    north, _south = two_areas()
    client.force_login(make_coordination("koordination"))
    url = f"/verwaltung/neighbourhoods/area/{north.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    data.update({"name": "Nord\r\nstadt", "boundary": str(north.boundary).replace("'", '"')})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Zeile" in response.content.decode()
    north.refresh_from_db()
    assert north.name == "Nordstadt"


def test_geojson_import_refuses_a_name_with_a_line_break():
    from django.core.exceptions import ValidationError

    from neighbourhoods.geojson_io import read_feature_collection

    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "Nord\\r\\nstadt"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[7.4, 51.4], [7.41, 51.4], [7.41, 51.41], [7.4, 51.4]]]}}]}"
    )
    with pytest.raises(ValidationError) as refused:
        read_feature_collection(text)
    assert "Feature 1" in refused.value.messages[0]


# --- output --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["portal", "area"])
def test_feeds_stay_well_formed_and_never_carry_markup(client, broken, which):
    url = "/feed/" if which == "portal" else f"/quartiere/{broken['area'].slug}/feed/"
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    entries = root.findall(f"{ATOM}entry")
    idea = next(e for e in entries if e.find(f"{ATOM}title").text.startswith("Idee"))
    assert idea.find(f"{ATOM}title").text == "Idee: Bänke am Markt"
    summary = idea.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # the summary is HTML: the payload is escaped text in it, the line break a <br>
    assert "<img" not in summary.text
    assert "&lt;img src=x onerror=alert(1)&gt;<br>Zeilezwei" in summary.text
    assert any("Treffen" in e.find(f"{ATOM}title").text for e in entries)


def test_open311_xml_stays_well_formed(client, broken):
    response = client.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    descriptions = [element.text for element in root.iter("description")]
    assert any("Bänke am Markt" in text for text in descriptions)
    addresses = [element.text for element in root.iter("address")]
    assert "Nord\r\nstadt" in addresses or "Nord\nstadt" in addresses


@pytest.mark.parametrize("which", ["area", "meeting"])
def test_calendars_stay_valid(client, broken, which):
    if which == "area":
        url = f"/quartiere/{broken['area'].slug}/treffen.ics"
    else:
        url = f"/treffen/{broken['meeting'].pk}.ics"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x0c" not in body and "\x1b" not in body
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Treffen zwei"
    assert str(event["LOCATION"]) == "Hauptstraße 1 Hof"
    if which == "area":
        assert str(calendar["X-WR-CALNAME"]) == "Treffen in Nord stadt"
    for line in body.split("\r\n"):
        assert "\r" not in line and "\n" not in line


def test_report_spreadsheet_stays_valid(client, broken):
    client.force_login(make_coordination("koordination"))
    response = client.get("/berichte/bericht.xlsx")
    assert response.status_code == 200
    load_workbook(BytesIO(response.content))


def test_digests_survive_a_name_with_line_breaks(broken, django_capture_on_commit_callbacks):
    area = broken["area"]
    subscription = subscription_services.subscription_create(
        user=make_user("berta"), area=area, frequency=Frequency.WEEKLY
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_idea_published(Idea.objects.get())
    assert notifications.send_digests() == 1
    (message,) = mail.outbox
    assert message.to == [subscription.recipient]
    assert "\n" not in message.subject and "\x0c" not in message.subject
    assert "Nord stadt" in message.subject
    assert "\x0c" not in message.body and "\x1b" not in message.body


def test_one_failing_subscription_never_stops_the_others(
    broken, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    area = broken["area"]
    first = subscription_services.subscription_create(
        user=make_user("anna"), area=area, frequency=Frequency.WEEKLY
    )
    second = subscription_services.subscription_create(
        user=make_user("berta"), area=area, frequency=Frequency.WEEKLY
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_idea_published(Idea.objects.get())
    real_send = notifications.mail_subscriber

    def failing_for_first(subscription, **kwargs):
        if subscription.pk == first.pk:
            raise RuntimeError("mail server said no")
        return real_send(subscription, **kwargs)

    monkeypatch.setattr(notifications, "mail_subscriber", failing_for_first)
    with caplog.at_level(logging.ERROR):
        assert notifications.send_digests() == 1
    assert [message.to for message in mail.outbox] == [[second.recipient]]
    assert f"subscription {first.pk}" in caplog.text
    assert first.notifications.pending().exists()  # tried again on the next run
    monkeypatch.setattr(notifications, "mail_subscriber", real_send)
    assert notifications.send_digests() == 1
