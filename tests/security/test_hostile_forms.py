"""Every public form and query answers hostile input with a clear 200/400 (or a 302 where the
input is acceptable) — never a 500 — and saves nothing half.

A census: each form below gets, in each of its fields (one at a time, the others valid),
scripts, control characters, CR/LF, 1 MB strings, huge and negative numbers, arrays where a
scalar is expected (`a=1&a=2`), JSON nested 1,500 deep, NUL bytes, and invalid UTF-8
percent-encoding in the raw body or query string; then whole-request attacks (5,000 fields, a
JSON body, a broken multipart body). All failures of a form are collected and reported
together. When a response is not a redirect, no row of the form's models may have been added.

Rate limits are off here (they would hide errors behind 429s); they have their own census in
test_rate_limits.py.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from network.models import JoinRequest, Partner, PartnerChange
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment, Flag, Idea, Support
from participation.meetings.models import Registration
from participation.subscriptions.models import Subscription
from participation.topics.models import Topic
from quartier.models import BarrierReport, FormKey, User
from tests.factories import make_area, make_coordination, make_user, square
from tests.network.factories import make_contact, make_partner
from tests.participation.helpers import ensure_topic, make_idea
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

MEGABYTE = "a" * 1_000_000
HOSTILE = {
    "script": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "control characters": "Titel\x0c mit\x1b Steuer\x07zeichen",
    "CR/LF": "Zeile\r\nSet-Cookie: boese=1\r\n\r\n<b>zwei</b>",
    "1 MB": MEGABYTE,
    "huge integer": "9" * 400,
    "huge float": "1e400",
    "negative": "-1",
    "very negative": "-" + "9" * 30,
    "zero": "0",
    "JSON nested 1,500 deep": "[" * 1500 + "]" * 1500,
    "JSON objects nested 1,500 deep": '{"a":' * 1500 + "1" + "}" * 1500,
    "NUL byte": "vor\x00nach",
    "JSON null": "null",
    "empty": "",
    "spaces": "   \t  ",
    "unicode": "\u202eevil\u200b🏠",
    "path": "../../../../etc/passwd",
    "SQL": "1' OR '1'='1'; DROP TABLE participation_idea; --",
}
INVALID_UTF8 = "%FF%FE%ED%A0%80%C0%AF"  # invalid bytes, a surrogate, an overlong slash
OK = {200, 302, 400, 404, 405}


@dataclass
class Form:
    """A public form or query: how to reach it, valid data, and the rows it may create."""

    name: str
    url: str
    data: dict
    method: str = "post"
    login: object = None
    models: tuple = ()


@pytest.fixture
def world(settings):
    settings.RATELIMIT_ENABLED = False
    ensure_topic()
    north = make_area("Nordstadt", boundary=square(7.46, 51.51))
    idea = make_idea(north)
    resident = make_user("bewohnerin")
    comment = Comment.objects.create(idea=idea, author=resident, text="Ja!")
    meeting = make_meeting(north, capacity=30)
    registration = Registration.objects.create(
        meeting=meeting, name="Erika", email="erika@example.org", people=1
    )
    partner = make_partner("Kulturverein", description="Alt")
    partner_user = make_user("kontakt")
    make_contact(partner, user=partner_user)
    return {
        "north": north,
        "topic": Topic.objects.first(),
        "idea": idea,
        "comment": comment,
        "meeting": meeting,
        "registration": registration,
        "partner": partner,
        "resident": resident,
        "partner_user": partner_user,
        "coordination": make_coordination("koordination"),
    }


POINT = '{"type": "Point", "coordinates": [7.465, 51.515]}'


def forms(world):
    north, idea = world["north"], world["idea"]
    rows = (Idea, Comment, Support, Flag, MoodAnswer, Registration, Subscription, JoinRequest)
    rows += (BarrierReport, User, PartnerChange, FormKey)
    return [
        Form(
            "idea",
            reverse("participation:idea-create"),
            {
                "kind": "idea",
                "title": "Trinkbrunnen",
                "text": "Im Sommer fehlt Wasser.",
                "topic": world["topic"].pk,
                "location": POINT,
                "area": "",
                "photo_alt": "",
                "author_name": "Erika",
                "author_email": "erika@example.org",
                "privacy": "on",
                "confirm_new": "",
                "website": "",
                "form_key": "",
            },
            models=rows,
        ),
        Form(
            "comment",
            reverse("participation:idea-comment", kwargs={"pk": idea.pk}),
            {"text": "Gute Idee", "form_key": ""},
            login="resident",
            models=rows,
        ),
        Form(
            "support",
            reverse("participation:idea-support", kwargs={"pk": idea.pk}),
            {"notify": "on"},
            login="resident",
            models=rows,
        ),
        Form(
            "unsupport",
            reverse("participation:idea-unsupport", kwargs={"pk": idea.pk}),
            {"confirm": "1"},
            login="resident",
            models=rows,
        ),
        Form(
            "flag",
            reverse("participation:idea-flag", kwargs={"pk": idea.pk}),
            {"reason": "Beleidigend", "comment": world["comment"].pk},
            models=rows,
        ),
        Form(
            "mood",
            reverse("participation:mood"),
            {"score": "4", "area": north.pk, "point": "", "aspect": "", "comment": "Schön"},
            models=rows,
        ),
        Form(
            "mood by map point",
            reverse("participation:mood"),
            {"score": "3", "area": "", "point": POINT, "aspect": "", "comment": ""},
            models=rows,
        ),
        Form(
            "follow area",
            reverse("participation:subscription-create"),
            {
                "area": north.pk,
                "email": "erika@example.org",
                "notify_ideas": "on",
                "frequency": "weekly",
                "quick": "",
            },
            models=rows,
        ),
        Form(
            "follow place",
            reverse("participation:subscription-place"),
            {
                "location": POINT,
                "radius_m": "500",
                "area": "",
                "email": "erika@example.org",
                "notify_ideas": "on",
                "frequency": "weekly",
            },
            models=rows,
        ),
        Form(
            "meeting registration",
            world["meeting"].get_absolute_url(),
            {"name": "Erika", "email": "erika@example.org", "people": "1", "note": ""},
            models=rows,
        ),
        Form(
            "meeting cancellation",
            reverse(
                "participation:meeting-cancel-registration",
                kwargs={"token": world["registration"].cancel_token},
            ),
            {"confirm": "1"},
            models=rows,
        ),
        Form(
            "join request",
            reverse("network:join-request"),
            {
                "organisation_name": "Repair-Café",
                "kind": "initiative",
                "description": "Wir reparieren.",
                "areas": north.pk,
                "homepage": "https://repair.example.org",
                "contact_name": "Peter",
                "contact_email": "peter@example.org",
                "consent": "on",
            },
            models=rows,
        ),
        Form(
            "partner entry",
            reverse("network:partner-edit", kwargs={"slug": world["partner"].slug}),
            {
                "description": "Neu",
                "website": "https://kultur.example.org",
                "email": "",
                "phone": "0123",
                "address": "",
                "fields_of_work": "",
                "target_groups": "",
            },
            login="partner_user",
            models=(Partner, *rows),
        ),
        Form(
            "sign-up",
            reverse("accounts:signup"),
            {
                "username": "neu",
                "email": "neu@example.org",
                "password1": "ein-langes-passwort",
                "password2": "ein-langes-passwort",
                "privacy": "on",
            },
            models=rows,
        ),
        Form(
            "log-in",
            reverse("accounts:login"),
            {"username": "bewohnerin", "password": "falsch"},
            models=rows,
        ),
        Form(
            "password reset",
            reverse("accounts:password-reset"),
            {"email": "bewohnerin@example.org"},
            models=rows,
        ),
        Form(
            "barrier report",
            reverse("legal:barrierefreiheit"),
            {"page_url": "/ideen/", "description": "Zu klein", "name": "", "email": ""},
            models=rows,
        ),
        Form(
            "report filters",
            reverse("participation:reports"),
            {"von": "2025-01-01", "bis": "2025-12-31", "gebiet": north.slug},
            method="get",
            login="coordination",
        ),
        Form(
            "report CSV",
            reverse("participation:report-csv", kwargs={"key": "topics"}),
            {"von": "2025-01-01", "bis": "2025-12-31", "gebiet": north.slug},
            method="get",
            login="coordination",
        ),
        Form(
            "report XLSX",
            reverse("participation:report-xlsx"),
            {"von": "2025-01-01", "bis": "2025-12-31", "gebiet": north.slug},
            method="get",
            login="coordination",
        ),
        Form(
            "idea list",
            reverse("participation:idea-list"),
            {
                "q": "Bank",
                "area": north.pk,
                "topic": world["topic"].pk,
                "kind": "idea",
                "status": "published",
                "sort": "new",
                "page": "1",
            },
            method="get",
        ),
        Form(
            "idea map",
            reverse("participation:idea-map"),
            {"q": "Bank", "area": north.pk, "kind": "idea"},
            method="get",
        ),
        Form(
            "idea map data",
            reverse("participation:ideas-geojson"),
            {"bbox": "7.4,51.4,7.6,51.6", "area": north.pk, "kind": "idea", "q": "Bank"},
            method="get",
        ),
        Form(
            "similar ideas",
            reverse("participation:idea-similar"),
            {"title": "Mehr Bänke", "text": "Am Platz", "area": north.pk, "location": POINT},
            method="get",
        ),
        Form(
            "meeting list",
            reverse("participation:meeting-list"),
            {"area": north.pk, "kind": "meeting", "zeit": "vergangen", "page": "1"},
            method="get",
        ),
        Form(
            "partner list",
            reverse("network:partner-list"),
            {"q": "Kultur", "kind": "association", "area": north.slug, "page": "1"},
            method="get",
        ),
        Form(
            "partner map data",
            reverse("network:partners-geojson"),
            {"q": "Kultur", "kind": "association", "area": north.slug},
            method="get",
        ),
        Form(
            "area search",
            reverse("neighbourhoods:area-find"),
            {"lat": "51.515", "lng": "7.465"},
            method="get",
        ),
        Form(
            "address search",
            reverse("neighbourhoods:area-find"),
            {"adresse": "Marktstraße 5"},
            method="get",
        ),
        Form(
            "address suggestions",
            reverse("neighbourhoods:address-suggestions"),
            {"q": "Marktstr"},
            method="get",
        ),
        Form(
            "mood page",
            reverse("participation:mood"),
            {"gebiet": north.slug},
            method="get",
        ),
        Form(
            "follow page",
            reverse("participation:subscription-create"),
            {"area": north.slug},
            method="get",
        ),
        Form(
            "Open311 requests",
            reverse("participation:open311-requests", kwargs={"fmt": "json"}),
            {
                "service_code": "idea-verkehr",
                "status": "open",
                "start_date": "2025-01-01T00:00:00Z",
                "end_date": "2025-12-31T00:00:00Z",
                "service_request_id": str(idea.pk),
                "page": "1",
                "page_size": "10",
            },
            method="get",
        ),
        Form(
            "Open311 requests XML",
            reverse("participation:open311-requests", kwargs={"fmt": "xml"}),
            {"status": "open", "page": "1", "page_size": "10", "service_code": "idea-verkehr"},
            method="get",
        ),
        Form(
            "accessibility page",
            reverse("legal:barrierefreiheit"),
            {"seite": "/ideen/"},
            method="get",
        ),
        Form(
            "log-in page",
            reverse("accounts:login"),
            {"next": "/ideen/"},
            method="get",
        ),
    ]


def _client(world, login):
    client = Client(raise_request_exception=False)
    if login:
        client.force_login(world[login])
    return client


def _counts(models):
    """The number of rows of each model, in one query."""
    if not models:
        return ()
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608 - table names from the models
        return cursor.fetchone()


def _send(client, form, data=None, *, raw_query=None, raw_body=None):
    if form.method == "get":
        if raw_query is not None:
            return client.get(f"{form.url}?{raw_query}")
        return client.get(form.url, data)
    if raw_body is not None:
        return client.post(form.url, raw_body, content_type="application/x-www-form-urlencoded")
    return client.post(form.url, data)


def _check(failures, client, form, label, **request):
    before = _counts(form.models)
    try:
        response = _send(client, form, **request)
    except Exception as error:  # noqa: BLE001 - collected: the census lists every failure
        failures.append(f"{form.name} / {label}: raised {error!r:.200}")
        return
    status = response.status_code
    if status >= 500 or status not in OK | ({403} if form.login else set()):
        failures.append(f"{form.name} / {label}: HTTP {status}")
        return
    if status != 302 and _counts(form.models) != before:
        failures.append(f"{form.name} / {label}: HTTP {status} but rows were saved")


def _encode(data):
    return urlencode(data, doseq=True)


FORM_NAMES = [
    "idea",
    "comment",
    "support",
    "unsupport",
    "flag",
    "mood",
    "mood by map point",
    "follow area",
    "follow place",
    "meeting registration",
    "meeting cancellation",
    "join request",
    "partner entry",
    "sign-up",
    "log-in",
    "password reset",
    "barrier report",
    "report filters",
    "report CSV",
    "report XLSX",
    "idea list",
    "idea map",
    "idea map data",
    "similar ideas",
    "meeting list",
    "partner list",
    "partner map data",
    "area search",
    "address search",
    "address suggestions",
    "mood page",
    "follow page",
    "Open311 requests",
    "Open311 requests XML",
    "accessibility page",
    "log-in page",
]


def test_the_census_names_every_form(world):
    assert [form.name for form in forms(world)] == FORM_NAMES


@pytest.mark.parametrize("name", FORM_NAMES)
def test_hostile_values_never_give_a_500(world, name):
    form = next(form for form in forms(world) if form.name == name)
    client = _client(world, form.login)
    failures = []
    assert _send(client, form, form.data).status_code in {200, 302}, "the valid data is valid"
    for key in form.data:
        _attack_field(failures, client, form, key)
    for label, attack in _whole_request_attacks(form).items():
        _check(failures, client, form, label, **attack)
    assert failures == []


def _attack_field(failures, client, form, key):
    for label, value in HOSTILE.items():
        _check(failures, client, form, f"{key}={label}", data={**form.data, key: value})
    valid = form.data[key]
    _check(failures, client, form, f"{key}=array", data={**form.data, key: [valid, "2"]})
    _check(failures, client, form, f"{key}=missing", data=_without(form.data, key))
    raw = _encode(_without(form.data, key)) + f"&{quote(key)}={INVALID_UTF8}"
    if form.method == "get":
        _check(failures, client, form, f"{key}=invalid UTF-8", raw_query=raw)
    else:
        _check(failures, client, form, f"{key}=invalid UTF-8", raw_body=raw)


def _without(data, key):
    return {name: value for name, value in data.items() if name != key}


def _whole_request_attacks(form):
    many = _encode({**form.data, **{f"feld{number}": "x" for number in range(5000)}})
    attacks = {
        "5,000 fields": {"raw_query": many} if form.method == "get" else {"raw_body": many},
        "invalid UTF-8 field name": (
            {"raw_query": f"{INVALID_UTF8}=1&" + _encode(form.data)}
            if form.method == "get"
            else {"raw_body": f"{INVALID_UTF8}=1&" + _encode(form.data)}
        ),
    }
    if form.method == "post":
        attacks["JSON body"] = {"raw_body": '{"a": ' * 1500 + "1" + "}" * 1500}
    return attacks


def test_broken_bodies_never_give_a_500(world):
    ideas = Idea.objects.count()
    client = _client(world, None)
    url = reverse("participation:idea-create")
    failures = []
    for label, (body, content_type) in {
        "multipart without boundary": (b"--x\r\n", "multipart/form-data"),
        "multipart cut off": (
            b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc',
            "multipart/form-data; boundary=b",
        ),
        "multipart with a huge header": (
            b"--b\r\nContent-Disposition: form-data; name=" + b"x" * 100_000 + b"\r\n\r\n",
            "multipart/form-data; boundary=b",
        ),
        "JSON": (b'{"title": "x"}', "application/json"),
        "binary": (bytes(range(256)) * 100, "application/octet-stream"),
    }.items():
        try:
            response = client.post(url, body, content_type=content_type)
        except Exception as error:  # noqa: BLE001
            failures.append(f"{label}: raised {error!r:.200}")
            continue
        if response.status_code >= 500:
            failures.append(f"{label}: HTTP {response.status_code}")
    assert failures == []
    assert Idea.objects.count() == ideas


PATH_TOKENS = {
    "NUL": "%00",
    "NUL inside": "abc%00def",
    "CR/LF": "abc%0D%0ASet-Cookie:%20x=1",
    "script": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "invalid UTF-8": INVALID_UTF8,
    "long": "a" * 5000,
    "dots": "..%2F..%2Fetc%2Fpasswd",
    "signed-looking": "eyJ4IjoxfQ:1abcde:" + "A" * 43,
}


@pytest.mark.parametrize(
    "pattern",
    [
        "/ideen/bestaetigen/{}/",
        "/treffen/abmelden/{}/",
        "/benachrichtigungen/bestaetigen/{}/",
        "/benachrichtigungen/verwalten/{}/",
        "/benachrichtigungen/abbestellen/{}/",
        "/konto/bestaetigen/{}/",
        "/konto/passwort-neu/{}/set-password/",
        "/quartiere/{}/",
        "/netzwerk/{}/",
        "/berichte/{}.csv",
    ],
)
def test_hostile_tokens_in_addresses_never_give_a_500(world, pattern):
    client = _client(world, "coordination" if pattern.startswith("/berichte") else None)
    failures = []
    for label, token in PATH_TOKENS.items():
        for method in ("get", "post"):
            response = getattr(client, method)(pattern.format(token))
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {label}: HTTP {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    "pattern", ["/ideen/{}/", "/treffen/{}/", "/treffen/{}.ics", "/open311/v2/requests/{}.json"]
)
def test_huge_numbers_in_addresses_are_not_found(client, world, pattern):
    for number in ("9" * 30, "9223372036854775808", "0", "00001"):
        assert client.get(pattern.format(number)).status_code in (200, 404)
