"""The fund pages: the application form with bad input, attachments, the signed link, one's own
applications, bodies' public pages, online votes, the staff step page and the export."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from participation.funds import services
from participation.funds.models import ApplicationStatus as S
from participation.funds.models import Attachment, FundApplication, Membership, Vote
from tests.factories import make_area, make_coordination, make_manager, make_user
from tests.participation.fund_factories import (
    make_application,
    make_checked,
    make_fund,
    make_session,
)

pytestmark = pytest.mark.django_db


def pdf_bytes(pages=1, *, js=False, password=None):
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=200, height=200)
    if js:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript("app.alert('hi');"))
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name, content, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def form_data(fund, **extra):
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    data = {
        "area": fund.area_id,
        "title": "Straßenfest Lindenplatz",
        "description": "Ein Fest für alle.",
        "starts_on": day,
        "ends_on": day,
        "target_groups": "Familien",
        "applicant_kind": "resident",
        "applicant_name": "Erika Muster",
        "email": "erika@example.org",
        "requested_amount": "800,00",
        "own_contribution": "100",
        "cost_label_1": "Bänke",
        "cost_amount_1": "450",
        "cost_label_2": "Musik",
        "cost_amount_2": "450,00",
        "truthful": "on",
        "privacy": "on",
    }
    data.update(extra)
    return data


def apply_url(fund):
    return reverse("participation:fund-apply", args=[fund.pk])


def test_visitor_applies_and_confirms_by_link(client, django_capture_on_commit_callbacks):
    fund = make_fund()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(fund), form_data(fund), follow=True)
    assert response.redirect_chain[0][0].endswith("/antrag/gesendet/")
    assert "Bitte öffnen Sie den Link" in response.content.decode()
    application = FundApplication.objects.get()
    assert application.status == S.UNCONFIRMED
    assert application.total_costs == Decimal("900.00")
    link = mail.outbox[-1].body.split("http://")[1].split()[0]
    path = link[link.index("/fonds/antrag/") :]
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"action": "confirm"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"requested_amount": "-5"}, "requested_amount", "Der Betrag darf nicht negativ sein"),
        ({"requested_amount": "99999999999"}, "requested_amount", "Der Betrag ist zu groß"),
        ({"cost_amount_2": "500"}, "requested_amount", "Der Kostenplan geht nicht auf"),
        (
            {"requested_amount": "1600", "cost_amount_2": "1250"},
            "requested_amount",
            "höchstens 1.500,00",
        ),
        ({"cost_amount_2": ""}, "cost_amount_2", "Bitte einen Betrag für diesen Posten"),
        ({"title": "Fest\x00<script>"}, "title", ""),
        ({"cost_label_1": "Bänke\x07"}, "cost_label_1", ""),
        ({"applicant_name": "Erika\r\nBcc: x@y.z"}, "applicant_name", ""),
        ({"ends_on": "2000-01-01"}, "ends_on", "Das Ende muss"),
        ({"privacy": ""}, "privacy", "Ohne Ihr Einverständnis"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, changes, field, message):
    fund = make_fund()
    response = client.post(apply_url(fund), form_data(fund, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not FundApplication.objects.exists()
    assert 'value="Familien"' in response.content.decode()  # nothing typed is lost


def test_scripts_are_stored_as_text_and_shown_escaped(client, django_capture_on_commit_callbacks):
    fund = make_fund()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(fund), form_data(fund, title="<script>alert(1)</script>"))
    application = FundApplication.objects.get()
    response = client.get(services.applicant_url(application))
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("angebot.pdf", b"not a pdf at all", "beschädigt oder keine echte PDF"),
        ("angebot.pdf", pdf_bytes(js=True), "Skripte"),
        ("angebot.pdf", pdf_bytes(password="geheim"), "verschlüsselt"),
        ("angebot.pdf", pdf_bytes(pages=31), "mehr als 30 Seiten"),
        ("angebot.exe", b"MZ\x90\x00binary", "nur PDF-Dateien oder Fotos"),
        ("foto.jpg", b"\xff\xd8\xff\xe0broken", "beschädigt"),
    ],
)
def test_fake_or_dangerous_attachments_are_refused(client, name, content, message):
    fund = make_fund()
    data = form_data(fund, attachments=[upload(name, content)])
    response = client.post(apply_url(fund), data)
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert not FundApplication.objects.exists()


def test_huge_attachment_is_refused(client, settings):
    fund = make_fund()
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10)
    response = client.post(apply_url(fund), form_data(fund, attachments=[upload("gross.pdf", big)]))
    assert "größer als 10 MB" in " ".join(response.context["form"].errors["attachments"])


def test_good_pdf_and_photo_are_stored_checked(client, django_capture_on_commit_callbacks):
    fund = make_fund()
    files = [upload("angebot.pdf", pdf_bytes(2)), upload("skizze.jpg", jpeg_bytes(), "image/jpeg")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(fund), form_data(fund, attachments=files))
    assert response.status_code == 302, response.context["form"].errors
    kinds = sorted(Attachment.objects.values_list("content_type", "original_name"))
    assert kinds == [("application/pdf", "angebot.pdf"), ("image/jpeg", "skizze.jpg")]


def test_expired_link_offers_a_new_one(client, settings, django_capture_on_commit_callbacks):
    fund = make_fund()
    application = make_application(fund)
    url = services.applicant_url(application)
    settings.FUND_LINK_MAX_AGE = -1
    response = client.get(url)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    settings.FUND_LINK_MAX_AGE = 3600
    mail.outbox.clear()
    settings.FUND_LINK_MAX_AGE = -1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 1 and "neuer Link" in mail.outbox[0].subject
    assert client.get("/fonds/antrag/forged-token/").status_code == 404


def test_applicant_revises_and_submits_proof_through_the_link(
    client, django_capture_on_commit_callbacks
):
    fund = make_fund()
    application = make_application(fund, user=make_user())
    services.application_request_changes(application=application, by=None, text="Bitte Angebot.")
    url = services.applicant_url(application)
    page = client.get(url).content.decode()
    assert "Bitte Angebot." in page
    data = {
        "description": "Mit Angebot",
        "requested_amount": "800",
        "own_contribution": "0",
        "cost_label_1": "Alles",
        "cost_amount_1": "800",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.total_costs == Decimal("800.00")
    # … through to paid, then the proof of use
    services.application_check(
        application=application, by=None, complete=True, eligible=True, costs=True
    )
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    for member in fund.body.memberships.all()[:3]:
        services.vote_cast(application=application, membership=member, choice="yes")
    services.application_decide(
        application=application, by=None, outcome=S.APPROVED, amount=Decimal("800")
    )
    services.payment_record(application=application, by=None, amount=Decimal("800"))
    response = client.post(url, {"report": "Schön", "participants": "-3", "spent_amount": "800"})
    assert response.status_code == 400
    assert "nicht negativ" in response.content.decode()
    receipt = upload("beleg.pdf", pdf_bytes())
    response = client.post(
        url,
        {"report": "Schön", "participants": "80", "spent_amount": "800", "attachments": [receipt]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.PROOF_SUBMITTED and application.participants == 80


def test_my_applications(client):
    user = make_user()
    fund = make_fund()
    make_application(fund, user=user)
    make_application(make_fund(), user=make_user(), title="Fremder Antrag")
    assert client.get(reverse("participation:fund-mine")).status_code == 302
    client.force_login(user)
    page = client.get(reverse("participation:fund-mine")).content.decode()
    assert "Straßenfest Lindenplatz" in page and "Fremder Antrag" not in page


def test_fund_list_fixed_queries(client, django_assert_num_queries):
    for _n in range(3):
        make_fund()
    with django_assert_num_queries(1):  # the funds with their money, one query
        response = client.get(reverse("participation:fund-list"))
    assert response.content.decode().count("Antrag stellen") == 3
    assert "5.000,00 €" in response.content.decode()


def test_body_page_names_only_with_consent(client):
    fund = make_fund()
    body = fund.body
    hidden = Membership.objects.filter(body=body, name_public=False).first()
    shown = Membership.objects.filter(body=body, name_public=True).first()
    page = client.get(body.get_absolute_url()).content.decode()
    assert shown.name in page and hidden.name not in page
    assert body.name in client.get(reverse("participation:body-list")).content.decode()


def test_members_vote_online_in_written_procedure(client):
    fund = make_fund()
    application = make_checked(fund)
    services.application_put_before_body(
        application=application,
        by=None,
        written_deadline=timezone.now() + datetime.timedelta(days=2),
    )
    member = fund.body.memberships.first()
    client.force_login(member.user)
    url = reverse("participation:body-votes")
    assert application.title in client.get(url).content.decode()
    response = client.post(
        url, {"application": application.pk, f"a{application.pk}-choice": "conflict"}
    )
    assert response.status_code == 302
    assert Vote.objects.get(membership=member).choice == "conflict"
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    response = client.post(url, {"application": application.pk, f"a{application.pk}-choice": "yes"})
    assert response.status_code == 404


def test_staff_step_page_is_scoped(client, django_capture_on_commit_callbacks):
    area = make_area()
    fund = make_fund(area)
    application = make_application(fund, user=make_user())
    url = reverse("admin:participation_fundapplication_step", args=[application.pk])
    client.force_login(make_manager(make_area()))
    assert client.get(url).status_code == 404
    client.force_login(make_manager(area))
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"step": "changes", "text": "Bitte Kostenvoranschlag."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.CHANGES_REQUESTED
    assert "Kostenvoranschlag" in mail.outbox[-1].body
    response = client.post(url, {"step": "decide", "outcome": "approved", "amount": "800"})
    assert "nicht möglich" in response.content.decode()


def test_export_csv_in_the_authoritys_shape(client):
    fund = make_fund()
    make_application(fund, user=make_user(), title="=HYPERLINK(1)")
    client.force_login(make_coordination())
    response = client.get(reverse("admin:participation_fund_export", args=[fund.pk, "csv"]))
    text = response.content.decode()
    assert "bewilligt (€)" in text and "'=HYPERLINK(1)" in text and "800,00" in text
    response = client.get(reverse("admin:participation_fund_export", args=[fund.pk, "xlsx"]))
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("model", ["fund", "body", "bodysession", "fundapplication"])
def test_admin_lists_and_pages_are_scoped(client, model):
    area, other = make_area(), make_area()
    fund = make_fund(area)
    application = make_application(fund, user=make_user())
    session = make_session(fund.body)
    obj = {"fund": fund, "body": fund.body, "bodysession": session, "fundapplication": application}[
        model
    ]
    changelist = reverse(f"admin:participation_{model}_changelist")
    change = reverse(f"admin:participation_{model}_change", args=[obj.pk])
    client.force_login(make_manager(area))
    assert client.get(changelist).status_code == 200
    assert client.get(change).status_code == 200
    client.force_login(make_manager(other))
    assert str(obj) not in client.get(changelist).content.decode()
    assert client.get(change).status_code == 302  # Django's admin: "does not exist" → index


def test_inbox_shows_applications_to_check(client):
    area = make_area()
    make_application(make_fund(area), user=make_user())
    client.force_login(make_manager(area))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Fondsanträge zu prüfen" in page


def test_double_submit_creates_one_application(client, django_capture_on_commit_callbacks):
    fund = make_fund()
    page = client.get(apply_url(fund)).content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    assert 'name="location"' in page
    data = form_data(fund, form_key=key)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(apply_url(fund), data)
        second = client.post(apply_url(fund), data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert FundApplication.objects.count() == 1
    assert len(mail.outbox) == 1


def test_area_page_shows_its_fund_and_funded_projects(client):
    area = make_area("Südstadt")
    fund = make_fund(area)
    application = make_checked(fund, title="Hoffest")
    services.application_put_before_body(
        application=application, by=None, session=make_session(fund.body)
    )
    for member in fund.body.memberships.all()[:3]:
        services.vote_cast(application=application, membership=member, choice="yes")
    services.application_decide(
        application=application, by=None, outcome=S.APPROVED, amount=Decimal("500")
    )
    services.payment_record(application=application, by=None, amount=Decimal("500"))
    page = client.get(reverse("neighbourhoods:area-detail", args=[area.slug])).content.decode()
    assert str(fund) in page and "Hoffest" in page and "4.500,00 €" in page
    projects = client.get(reverse("participation:fund-projects")).content.decode()
    assert "Hoffest" in projects and "Erika Muster" not in projects  # no consent to the name


def test_honeypot_and_rate_limit(client):
    fund = make_fund(maximum="5000.00")
    response = client.post(apply_url(fund), form_data(fund, website="spam"))
    assert "website" in response.context["form"].errors
    for _n in range(10):
        assert client.post(apply_url(fund), form_data(fund)).status_code == 302
    response = client.post(apply_url(fund), form_data(fund))
    assert "sehr oft" in response.content.decode()
    assert FundApplication.objects.count() == 10


def test_location_must_lie_in_the_funds_area(client):
    from tests.factories import square

    area = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    fund = make_fund(area)
    outside = '{"type": "Point", "coordinates": [8.5, 52.5]}'
    response = client.post(apply_url(fund), form_data(fund, location=outside))
    assert "nicht im Gebiet" in " ".join(response.context["form"].errors["location"])
    inside = '{"type": "Point", "coordinates": [7.45, 51.45]}'
    assert client.post(apply_url(fund), form_data(fund, location=inside)).status_code == 302
    assert FundApplication.objects.get().location["coordinates"] == [7.45, 51.45]
