import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from quartier.models import BarrierReport, LegalPage
from tests.factories import make_user

LEGAL_URLS = ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LEGAL_URLS)
def test_legal_pages_exist_with_default_text_in_german_and_english(client, url):
    german = client.get(url)
    assert german.status_code == 200
    body = german.content.decode()
    assert "Musterstadt" in body
    english = client.get("/en" + url)
    assert english.status_code == 200
    assert "This page is only available in German." in english.content.decode()
    assert '<article class="legal" lang="de">' in english.content.decode()


@pytest.mark.django_db
def test_footer_links_to_every_legal_page(client):
    body = client.get("/").content.decode()
    for url in LEGAL_URLS:
        assert f'href="{url}"' in body
    assert 'href="/healthz"' not in body
    english = client.get("/en/").content.decode()
    for url in LEGAL_URLS:
        assert f'href="/en{url}"' in english


@pytest.mark.django_db
def test_page_text_is_escaped_never_raw_html(client):
    page = LegalPage.objects.get(key="impressum")
    page.body = (
        '<script>alert("x")</script>\n## Kontakt <b>fett</b>\n- Punkt eins\n'
        "- mail@musterstadt.example\n\nhttps://musterstadt.example/ javascript:alert(1)"
    )
    page.save()
    body = client.get("/impressum/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<h2>Kontakt &lt;b&gt;fett&lt;/b&gt;</h2>" in body
    assert "<li>Punkt eins</li>" in body
    assert 'href="mailto:mail@musterstadt.example"' in body
    assert 'href="https://musterstadt.example/"' in body
    assert 'href="javascript' not in body


@pytest.mark.django_db
def test_missing_page_falls_back_to_the_default_text(client):
    LegalPage.objects.filter(key="datenschutz").delete()
    response = client.get("/datenschutz/")
    assert response.status_code == 200
    assert "Datenschutzbeauftragte" in response.content.decode()


@pytest.mark.django_db
def test_coordination_edits_legal_pages_in_the_admin_but_cannot_add_or_delete(client):
    user = make_user(username="koord", is_staff=True)
    user.groups.add(Group.objects.get(name="Quartierskoordination"))
    client.force_login(user)
    page = LegalPage.objects.get(key="impressum")
    url = reverse("admin:quartier_legalpage_change", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Impressum neu", "body": "Neuer Text"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body, page.key) == ("Impressum neu", "Neuer Text", "impressum")
    assert client.get(reverse("admin:quartier_legalpage_add")).status_code == 403
    assert client.get(reverse("admin:quartier_legalpage_delete", args=[page.pk])).status_code == 403
    assert "Neuer Text" in client.get("/impressum/").content.decode()


@pytest.mark.django_db
def test_staff_without_permission_cannot_edit_legal_pages(client):
    user = make_user(username="staff", is_staff=True)
    client.force_login(user)
    page = LegalPage.objects.get(key="impressum")
    url = reverse("admin:quartier_legalpage_change", args=[page.pk])
    assert client.get(url).status_code == 403
    client.post(url, {"title": "Gehackt", "body": "x"})
    page.refresh_from_db()
    assert page.title == "Impressum"


# The feedback form for reporting barriers


def _report(client, **data):
    payload = {"page_url": "/ideen/", "description": "Der Knopf ist nicht zu erreichen."}
    payload.update(data)
    return client.post("/barrierefreiheit/", payload)


@pytest.mark.django_db(transaction=True)
def test_barrier_report_is_stored_and_mailed(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrierefreiheit@musterstadt.example"
    response = _report(client, name="Ada", email="ada@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/barrierefreiheit/#barriere-melden"
    report = BarrierReport.objects.get()
    assert (report.page_url, report.name, report.email) == ("/ideen/", "Ada", "ada@example.org")
    assert report.language == "de"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["barrierefreiheit@musterstadt.example"]
    assert message.extra_headers["Reply-To"] == "ada@example.org"
    assert "Der Knopf ist nicht zu erreichen." in message.body
    assert f"/verwaltung/quartier/barrierreport/{report.pk}/change/" in message.body
    follow = client.get(response["Location"]).content.decode()
    assert "Danke! Ihre Meldung ist angekommen." in follow


@pytest.mark.django_db(transaction=True)
def test_barrier_report_without_name_and_email(client):
    assert _report(client).status_code == 302
    report = BarrierReport.objects.get()
    assert (report.name, report.email) == ("", "")
    assert "Reply-To" not in mail.outbox[0].extra_headers


@pytest.mark.django_db
def test_barrier_report_page_can_be_prefilled_from_a_link(client):
    body = client.get("/barrierefreiheit/?seite=/treffen/").content.decode()
    assert 'value="/treffen/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": ""}, "Bitte beschreiben Sie die Barriere."),
        ({"description": "   \n  "}, "Bitte beschreiben Sie die Barriere."),
        ({"page_url": ""}, "Bitte geben Sie die Seite an."),
        ({"description": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({"page_url": "/" + "a" * 600}, "höchstens 500 Zeichen"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"name": "n" * 201}, "höchstens 200 Zeichen"),
        ({"description": "nul\x00byte"}, "Null"),
    ],
)
def test_barrier_report_bad_input_keeps_what_was_typed(client, data, message):
    payload = {"name": "Grace", "email": "grace@example.org"}
    payload.update(data)
    response = _report(client, **payload)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Grace"' in body or "n" * 201 in body
    assert BarrierReport.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_barrier_report_html_is_stored_as_text_and_escaped_in_the_admin(client, admin_client):
    _report(client, description='<script>alert("x")</script>', name="<b>Bob</b>")
    report = BarrierReport.objects.get()
    assert report.description == '<script>alert("x")</script>'
    change = reverse("admin:quartier_barrierreport_change", args=[report.pk])
    body = admin_client.get(change).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body


@pytest.mark.django_db
def test_barrier_report_honeypot_rejects_bots(client):
    response = _report(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Dieses Feld muss leer bleiben." in response.content.decode()
    assert BarrierReport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_barrier_report_rate_limited(client):
    for _ in range(5):
        assert _report(client).status_code == 302
    response = _report(client, description="Noch eine Meldung")
    assert response.status_code == 200
    body = response.content.decode()
    assert "sehr oft abgeschickt" in body
    assert "Noch eine Meldung" in body
    assert BarrierReport.objects.count() == 5


@pytest.mark.django_db
def test_barrier_reports_need_a_description_in_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BarrierReport.objects.create(page_url="/", description="")


@pytest.mark.django_db
def test_coordination_sees_barrier_reports_and_marks_them_handled(client):
    report = BarrierReport.objects.create(page_url="/", description="Kontrast zu schwach")
    user = make_user(username="koord", is_staff=True)
    user.groups.add(Group.objects.get(name="Quartierskoordination"))
    client.force_login(user)
    changelist = client.get(reverse("admin:quartier_barrierreport_changelist"))
    assert changelist.status_code == 200
    change = reverse("admin:quartier_barrierreport_change", args=[report.pk])
    assert "Kontrast zu schwach" in client.get(change).content.decode()
    client.post(change, {"handled": "on"})
    report.refresh_from_db()
    assert report.handled
    assert report.description == "Kontrast zu schwach"


@pytest.mark.django_db
def test_admin_lists_accounts_and_legal_pages(admin_client):
    assert admin_client.get(reverse("admin:quartier_user_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:quartier_legalpage_changelist"))
    assert response.status_code == 200
    for title in ["Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"]:
        assert title in response.content.decode()
