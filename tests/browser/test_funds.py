"""The whole path of a fund application in a browser: a resident applies for 800 € for a street
party → staff check it and ask for changes → the applicant changes it through the mailed link →
the jury votes in its session (one member declares a conflict) → approval mail → payment →
proof of use → closed; and the public sees the funded project. axe on every public page."""

import re

import pytest
from django.core import mail

from participation.funds.models import ApplicationStatus as S
from participation.funds.models import FundApplication
from tests.browser.test_backoffice import log_in
from tests.factories import make_area, make_manager, square
from tests.participation.fund_factories import make_fund, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mailed_path(live_server):
    link = re.search(r"https?://\S+(/fonds/antrag/\S+/)", mail.outbox[-1].body).group(1)
    return live_server.url + link


def step(page, live_server, application, which, **fields):
    page.goto(
        f"{live_server.url}/verwaltung/participation/fundapplication/{application.pk}/schritt/"
    )
    page.select_option("#id_step", which)
    for name, value in fields.items():
        if name in ("complete", "eligible", "costs"):
            page.check(f"#id_{name}")
        elif name in ("session", "membership", "choice", "outcome"):
            page.select_option(f"#id_{name}", value)
        else:
            page.fill(f"#id_{name}", value)
    page.locator("input[type=submit]").click()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").all_inner_texts()


def test_street_party_from_application_to_closed(page, live_server, axe_check):
    area = make_area("Südstadt", boundary=square(7.40, 51.40, 0.1))
    fund = make_fund(area)
    session = make_session(fund.body)
    manager = make_manager(area)

    page.goto(live_server.url + "/fonds/")
    axe_check(page)
    page.get_by_role("link", name="Antrag stellen").click()
    axe_check(page)
    page.get_by_label("Titel des Vorhabens").fill("Straßenfest Lindenplatz")
    page.fill("#id_description", "Ein Fest für alle im Quartier.")
    page.fill("#id_starts_on", "2030-06-20")
    page.fill("#id_ends_on", "2030-06-20")
    page.get_by_label("Ihr Name").fill("Erika Muster")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label("Beantragter Betrag (€)").fill("800")
    page.get_by_label("Eigenanteil (€)").fill("100")
    page.fill("#id_cost_label_1", "Bänke und Tische")
    page.fill("#id_cost_amount_1", "450")
    page.fill("#id_cost_label_2", "Musik")
    page.fill("#id_cost_amount_2", "400")
    page.get_by_label("Ich versichere").check()
    page.get_by_label("Ich bin mit der Verarbeitung").check()
    page.get_by_role("button", name="Antrag absenden").click()
    assert "Der Kostenplan geht nicht auf" in page.locator(".form-error-summary").inner_text()
    assert page.get_by_label("Titel des Vorhabens").input_value() == "Straßenfest Lindenplatz"
    axe_check(page)
    page.fill("#id_cost_amount_2", "450")
    page.get_by_role("button", name="Antrag absenden").click()
    assert "Danke für Ihren Antrag" in page.locator("h1").inner_text()

    page.goto(mailed_path(live_server))
    axe_check(page)
    page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    assert "eingereicht" in page.locator(".messages").inner_text()
    application = FundApplication.objects.get()

    staff = page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(staff, live_server, manager)
    step(staff, live_server, application, "changes", text="Bitte ein Angebot für die Musik.")
    page.goto(mailed_path(live_server))
    assert "Bitte ein Angebot für die Musik." in page.content()
    page.get_by_label("Beschreibung").fill("Ein Fest für alle – mit Angebot der Band.")
    page.get_by_role("button", name="Absenden").click()
    assert "geänderter Antrag" in page.locator(".messages").inner_text()

    step(staff, live_server, application, "check", complete=True, eligible=True, costs=True)
    step(staff, live_server, application, "session", session=str(session.pk))
    members = list(fund.body.memberships.order_by("pk"))
    for member, choice in zip(members, ["yes", "yes", "yes", "abstain", "conflict"], strict=True):
        step(staff, live_server, application, "vote", membership=str(member.pk), choice=choice)
    step(staff, live_server, application, "decide", outcome="approved", amount="800")
    assert "800,00 € bewilligt" in mail.outbox[-1].body
    assert "3 Ja, 0 Nein, 1 Enthaltungen" in mail.outbox[-1].body
    step(staff, live_server, application, "pay", amount="800")

    page.goto(mailed_path(live_server))
    page.get_by_label("Kurzbericht").fill("120 Gäste, Musik bis 22 Uhr.")
    page.get_by_label("Zahl der Teilnehmenden").fill("120")
    page.get_by_label("Tatsächlich ausgegeben (€)").fill("800")
    from tests.participation.test_funds_pages import pdf_bytes

    page.get_by_label("Belege und Fotos").set_input_files(
        files=[{"name": "beleg.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Absenden").click()
    assert "Verwendungsnachweis ist eingegangen" in page.locator(".messages").inner_text()
    step(staff, live_server, application, "close")
    application.refresh_from_db()
    assert application.status == S.CLOSED

    page.goto(live_server.url + "/fonds/projekte/")
    assert "Straßenfest Lindenplatz" in page.content()
    axe_check(page)
    page.goto(live_server.url + fund.body.get_absolute_url())
    assert "Antrag: Straßenfest Lindenplatz" in page.content()
    axe_check(page)
    page.goto(live_server.url + fund.get_absolute_url())
    assert "3 Ja, 0 Nein, 1 Enthaltungen" in page.content()
    axe_check(page)
    assert page.foreign_requests == []
