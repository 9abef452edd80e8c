import pytest
from django.core import mail
from django.urls import reverse

from network.models import ContactPerson, JoinRequest, Partner
from tests.factories import make_area, make_coordination, make_manager
from tests.network.factories import make_partner

pytestmark = pytest.mark.django_db
URL = reverse("network:join-request")
CHANGELIST = reverse("admin:network_joinrequest_changelist")


@pytest.fixture(autouse=True)
def _coordination_address(settings):
    settings.NETWORK_CONTACT_EMAIL = "koordination@example.org"


def valid_data(**extra):
    return {
        "organisation_name": "Repair-Café Süd",
        "kind": "initiative",
        "description": "Wir reparieren gemeinsam.",
        "contact_name": "Peter Lang",
        "contact_email": "peter@example.org",
        "homepage": "https://repair.example.org",
        "consent": "on",
        **extra,
    }


def test_join_request_is_saved_and_mailed(client, django_capture_on_commit_callbacks):
    south = make_area("Südstadt")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(areas=[south.pk]))
    assert response.status_code == 302
    assert response.url == reverse("network:join-request-thanks")
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.Status.OPEN
    assert list(join_request.areas.all()) == [south]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["koordination@example.org", "peter@example.org"]
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation_name": ""}, "organisation_name"),
        ({"consent": ""}, "consent"),
        ({"contact_email": "kein-mail"}, "contact_email"),
        ({"kind": "unbekannt"}, "kind"),
        ({"homepage": "javascript:alert(1)"}, "homepage"),
        ({"homepage": "data:text/html,hallo"}, "homepage"),
        ({"description": "x" * 5001}, "description"),
        ({"organisation_name": "y" * 161}, "organisation_name"),
        ({"areas": ["999999"]}, "areas"),
    ],
)
def test_bad_input_is_refused_and_kept(client, changes, field):
    response = client.post(URL, valid_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert JoinRequest.objects.count() == 0
    body = response.content.decode()
    assert "Peter Lang" in body  # nothing typed is lost


def test_duplicate_organisation_name_is_refused(client):
    make_partner("Repair-Café SÜD")
    response = client.post(URL, valid_data())
    assert "organisation_name" in response.context["form"].errors


def test_html_in_input_is_escaped(client):
    response = client.post(URL, valid_data(contact_name="<script>alert(1)</script>", consent=""))
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_honeypot_refuses_bots(client):
    response = client.post(URL, valid_data(website="http://spam.example"))
    assert response.status_code == 200
    assert JoinRequest.objects.count() == 0


def test_rate_limit(client, settings):
    settings.RATELIMIT_ENABLED = True
    for index in range(5):
        client.post(URL, valid_data(organisation_name=f"Org {index}"))
    response = client.post(URL, valid_data(organisation_name="Org 6"))
    assert response.status_code == 200
    assert JoinRequest.objects.count() == 5


def _request():
    return JoinRequest.objects.create(
        organisation_name="Tanzschule Schwung",
        kind="business",
        description="Tanznachmittage",
        contact_name="Maria Santos",
        contact_email="maria@example.org",
        website="https://tanz.example.org",
        consent=True,
    )


def test_coordination_accepts_through_the_admin(client, django_capture_on_commit_callbacks):
    join_request = _request()
    south = make_area("Südstadt")
    join_request.areas.add(south)
    client.force_login(make_coordination())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "accept_selected", "_selected_action": [join_request.pk]}
        )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    partner = Partner.objects.get(name="Tanzschule Schwung")
    assert join_request.partner == partner
    assert list(partner.areas.all()) == [south]
    contact = ContactPerson.objects.get(partner=partner)
    assert contact.email == "maria@example.org" and contact.public_consent_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maria@example.org"]
    assert partner.get_absolute_url() in mail.outbox[0].body
    # accepting twice changes nothing
    client.post(CHANGELIST, {"action": "accept_selected", "_selected_action": [join_request.pk]})
    assert Partner.objects.count() == 1


def test_decline_asks_for_a_reason_then_mails_it(client, django_capture_on_commit_callbacks):
    join_request = _request()
    client.force_login(make_coordination())
    data = {"action": "decline_selected", "_selected_action": [join_request.pk]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "Begründung" in page.content.decode()
    empty = client.post(CHANGELIST, {**data, "apply": "1", "reason": "  "})
    assert empty.status_code == 200
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(CHANGELIST, {**data, "apply": "1", "reason": "Kein Bezug zum Quartier."})
    assert done.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.decline_reason == "Kein Bezug zum Quartier."
    assert len(mail.outbox) == 1 and "Kein Bezug zum Quartier." in mail.outbox[0].body
    assert not Partner.objects.exists()


def test_managers_do_not_see_join_requests(client):
    join_request = _request()
    client.force_login(make_manager(make_area("Südstadt")))
    assert client.get(CHANGELIST).status_code == 403
    change = reverse("admin:network_joinrequest_change", args=[join_request.pk])
    assert client.get(change).status_code in (302, 403, 404)
