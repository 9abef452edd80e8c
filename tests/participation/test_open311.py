"""Open311 GeoReport v2 (read-only): field names, filters, paging, errors, XML variant,
no personal data, fixed query counts."""

from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation.ideas.models import Answer, Idea, IdeaStatus
from participation.topics.models import Topic
from tests.factories import make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def url(name, fmt="json", **kwargs):
    return reverse(f"participation:open311-{name}", kwargs={"fmt": fmt, **kwargs})


def xml(response):
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


@pytest.fixture
def ideas():
    north, south = two_areas()
    topic = Topic.objects.first()
    weakness = make_idea(north, kind="weakness", title="Dunkle Unterführung", author_name="Privat")
    realised = make_idea(north, title="Bänke", status=IdeaStatus.REALISED)
    Answer.objects.create(
        idea=realised,
        text="Die Bänke stehen.",
        status_from="planned",
        status_to="realised",
        author_role="Quartiersmanagement",
    )
    make_idea(south, kind="strength", title="Schöner Park")  # strengths are no requests
    make_idea(north, title="Wartet", status=IdeaStatus.PENDING)
    make_idea(north, title="Versteckt", is_hidden=True)
    author = make_user("heimlich", first_name="Heimlich", email="heimlich@secret.test")
    make_idea(south, title="Vom Konto", author=author, author_email="", author_name="")
    return topic, weakness, realised


def test_services_list(client, ideas):
    topic = ideas[0]
    data = client.get(url("services")).json()
    codes = {service["service_code"] for service in data}
    assert f"weakness-{topic.slug}" in codes and f"idea-{topic.slug}" in codes
    assert not any(code.startswith("strength-") for code in codes)
    for service in data:
        assert set(service) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert service["metadata"] is False and service["type"] == "realtime"
    root = xml(client.get(url("services", "xml")))
    assert root.tag == "services"
    assert root.find("service/metadata").text == "false"
    assert len(root.findall("service")) == len(data)


def test_requests_fields_statuses_and_no_personal_data(client, ideas):
    _topic, weakness, realised = ideas
    response = client.get(url("requests"))
    data = response.json()
    titles = {record["description"].split("\n")[0] for record in data}
    assert titles == {"Dunkle Unterführung", "Bänke", "Vom Konto"}
    for record in data:
        assert set(record) == REQUEST_FIELDS
    by_id = {record["service_request_id"]: record for record in data}
    assert by_id[str(realised.pk)]["status"] == "closed"
    assert by_id[str(realised.pk)]["status_notes"] == "Die Bänke stehen."
    record = by_id[str(weakness.pk)]
    assert record["status"] == "open"
    assert record["address"] == "Nordstadt"
    assert record["lat"] == pytest.approx(51.515) and record["long"] == pytest.approx(7.465)
    assert record["requested_datetime"].startswith(str(timezone.localdate().year))
    body = response.content.decode()
    for personal in ("Privat", "Heimlich", "secret.test", "example.org", "Erika"):
        assert personal not in body


def test_filters(client, ideas):
    topic, weakness, realised = ideas

    def ids(**params):
        return {
            record["service_request_id"] for record in client.get(url("requests"), params).json()
        }

    assert ids(service_code=f"weakness-{topic.slug}") == {str(weakness.pk)}
    assert str(realised.pk) in ids(service_code=f"idea-{topic.slug},weakness-{topic.slug}")
    assert ids(status="closed") == {str(realised.pk)}
    assert str(realised.pk) not in ids(status="open")
    Idea.objects.filter(pk=weakness.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=30)
    )
    assert str(weakness.pk) not in ids(
        start_date=(timezone.now() - timezone.timedelta(days=1)).isoformat()
    )
    assert ids(end_date=(timezone.now() - timezone.timedelta(days=10)).date().isoformat()) == {
        str(weakness.pk)
    }
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-01-02") == set()
    assert ids(service_request_id=str(weakness.pk)) == {str(weakness.pk)}


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "gestern"},
        {"end_date": "2024-13-45"},
        {"start_date": "2024-02-30T10:00:00Z"},
        {"status": "offen"},
        {"service_code": "nonsense"},
        {"page": "0"},
        {"page_size": "-5"},
        {"page": "<script>"},
        {"service_request_id": "1;drop"},
    ],
)
def test_bad_values_give_400_in_georeport_error_format(client, ideas, params):
    response = client.get(url("requests"), params)
    assert response.status_code == 400
    error = response.json()
    assert error[0]["code"] == 400 and error[0]["description"]
    response = client.get(url("requests", "xml"), params)
    assert response.status_code == 400
    root = xml(response)
    assert root.tag == "errors" and root.find("error/code").text == "400"


def test_paging(client, ideas):
    north = ideas[1].area
    for number in range(120):
        make_idea(north, title=f"Viele {number}")
    assert len(client.get(url("requests")).json()) == 50
    assert len(client.get(url("requests"), {"page_size": "500"}).json()) == 100
    first = client.get(url("requests"), {"page_size": "10"}).json()
    second = client.get(url("requests"), {"page_size": "10", "page": "2"}).json()
    assert len(first) == len(second) == 10
    assert not {r["service_request_id"] for r in first} & {r["service_request_id"] for r in second}
    assert client.get(url("requests"), {"page": "999"}).json() == []


def test_single_request_and_xml_variant(client, ideas):
    _topic, weakness, _realised = ideas
    data = client.get(url("request", pk=weakness.pk)).json()
    assert len(data) == 1 and data[0]["service_request_id"] == str(weakness.pk)
    hidden = Idea.objects.get(title="Versteckt")
    response = client.get(url("request", pk=hidden.pk))
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    root = xml(client.get(url("requests", "xml")))
    assert root.tag == "service_requests"
    first = root.find("request")
    assert {child.tag for child in first} == REQUEST_FIELDS
    assert client.get("/open311/v2/requests.csv").status_code == 404


def test_fixed_number_of_queries(client, ideas):
    north = ideas[1].area
    client.get(url("requests"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("requests"))
        client.get(url("services"))
    for number in range(30):
        idea = make_idea(north, title=f"Mehr {number}")
        Answer.objects.create(
            idea=idea,
            text="ok",
            status_from="published",
            status_to="published",
            author_role="Quartiersmanagement",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url("requests"))
        client.get(url("services"))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_merged_duplicates_are_closed(client, ideas):
    _topic, weakness, _realised = ideas
    original = make_idea(weakness.area, kind="weakness", title="Unterführung ohne Licht")
    Idea.objects.filter(pk=weakness.pk).update(duplicate_of=original)
    record = client.get(url("request", pk=weakness.pk)).json()[0]
    assert record["status"] == "closed"
    closed = {
        r["service_request_id"] for r in client.get(url("requests"), {"status": "closed"}).json()
    }
    assert str(weakness.pk) in closed
    opened = {
        r["service_request_id"] for r in client.get(url("requests"), {"status": "open"}).json()
    }
    assert str(weakness.pk) not in opened and str(original.pk) in opened
