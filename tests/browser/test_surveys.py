import datetime
import json

import pytest

from participation.surveys.models import (
    QuestionKind,
    SocialSpaceDrawing,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from tests.factories import make_area, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name):
    """With QUARTIER_SCREENSHOTS=<folder>: the page at 1280 and 375 px, to look at."""
    import os

    folder = os.environ.get("QUARTIER_SCREENSHOTS")
    if folder:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1200, "height": 900})


def test_a_survey_answered_in_the_browser(page, live_server, axe_check):
    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))
    today = datetime.date.today()
    survey = Survey.objects.create(
        title="Unterwegs im Quartier",
        intro="Drei Fragen.",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        is_published=True,
    )
    survey.areas.set([south])
    how = SurveyQuestion.objects.create(
        survey=survey,
        position=1,
        kind=QuestionKind.SINGLE,
        text="Wie sind Sie unterwegs?",
        required=True,
    )
    SurveyChoice.objects.create(question=how, position=1, text="zu Fuß")
    SurveyChoice.objects.create(question=how, position=2, text="mit dem Rad")
    SurveyQuestion.objects.create(
        survey=survey, position=2, kind=QuestionKind.SCALE, text="Wie sicher fühlen Sie sich?"
    )
    SurveyQuestion.objects.create(
        survey=survey, position=3, kind=QuestionKind.POINT, text="Wo ist es gefährlich?"
    )
    page.goto(live_server.url + "/umfragen/")
    axe_check(page)
    page.get_by_role("link", name="Unterwegs im Quartier", exact=True).click()
    axe_check(page)
    screenshot(page, "survey-detail")
    page.get_by_role("button", name="Antworten abschicken").click()
    assert "Bitte beantworten Sie diese Frage." in page.locator(".form-error-summary").inner_text()
    page.get_by_label("mit dem Rad").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Antworten abschicken").click()
    assert "Danke für Ihre Teilnahme!" in page.locator(".messages").inner_text()
    assert SurveyResponse.objects.get().area == south
    page.goto(live_server.url + f"/umfragen/{survey.pk}/ergebnisse/")
    assert "Zu wenige Antworten" in page.content()
    axe_check(page)
    bike = SurveyChoice.objects.get(text="mit dem Rad")
    for _ in range(6):
        response = SurveyResponse.objects.create(survey=survey, area=south)
        response.answers.create(question=how, choice=bike)
    page.reload()
    assert "7 Antworten" in page.content()
    axe_check(page)
    screenshot(page, "survey-results")
    from participation.surveys import demo

    demo.load_drawings(stdout=__import__("io").StringIO())
    page.goto(live_server.url + "/mein-quartier/karte/")
    page.wait_for_selector("#density-map path")
    axe_check(page)
    screenshot(page, "my-quarter-map")
    assert page.foreign_requests == [] or all("tile" in url for url in page.foreign_requests)


def test_an_area_drawn_in_the_browser(page, live_server, axe_check):
    make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))
    page.goto(live_server.url + "/mein-quartier/")
    page.wait_for_selector(".leaflet-draw-draw-polygon")
    axe_check(page)
    page.click("a.leaflet-draw-draw-polygon")
    box = page.locator(".boundary-editor .js-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    points = [(cx - 60, cy - 40), (cx + 60, cy - 40), (cx + 60, cy + 40), (cx - 60, cy + 40)]
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*points[0])
    page.wait_for_function(
        "document.querySelector('textarea[name=boundary]').value.includes('Polygon')"
    )
    drawn = json.loads(page.input_value("textarea[name=boundary]"))
    assert drawn["type"] in ("Polygon", "MultiPolygon")
    page.get_by_label("Wie nennen Sie Ihr Viertel?").fill("Am Markt")
    page.get_by_label("Ich wohne hier").check()
    screenshot(page, "my-quarter-draw")
    page.get_by_role("button", name="Mein Viertel speichern").click()
    assert "Ihr Viertel ist eingezeichnet" in page.locator(".messages").inner_text()
    drawing = SocialSpaceDrawing.objects.get()
    assert drawing.name == "Am Markt" and drawing.ties == ["live"]
    axe_check(page)


def test_staff_enter_an_interview_and_read_the_proposal(page, live_server, axe_check):
    from participation.surveys import demo
    from participation.surveys.models import HelperContact
    from tests.browser.test_map_widgets import login
    from tests.factories import make_coordination

    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))
    today = datetime.date.today()
    survey = Survey.objects.create(
        title="Aktivierende Befragung Südstadt",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        is_published=True,
    )
    survey.areas.set([south])
    SurveyQuestion.objects.create(
        survey=survey, position=1, kind=QuestionKind.TEXT, text="Was fehlt Ihnen hier?"
    )
    make_coordination("koordinatorin")
    login(page, live_server, "koordinatorin")
    page.goto(live_server.url + f"/umfragen/{survey.pk}/gespraech/")
    axe_check(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_label("auf der Straße").check()
    page.get_by_label("Was fehlt Ihnen hier?").fill("Ein Treffpunkt für Ältere")
    page.get_by_label("Würden Sie sich engagieren?").check()
    page.get_by_label("Wobei?").fill("Seniorencafé")
    page.get_by_label("Name").fill("Frau Beispiel")
    page.get_by_label("Telefon oder E-Mail").fill("0170 1234567")
    page.get_by_role("button", name="Gespräch speichern").click()
    assert "Einwilligung" in page.locator(".form-error-summary").inner_text()
    assert page.get_by_label("Wobei?").input_value() == "Seniorencafé"
    page.get_by_label("Die Person willigt ein").check()
    page.get_by_role("button", name="Gespräch speichern").click()
    assert "Gespräch gespeichert" in page.locator(".messages").inner_text()
    screenshot(page, "interview")
    assert SurveyResponse.objects.get().channel == "street"
    assert HelperContact.objects.get().interests == "Seniorencafé"
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(live_server.url + f"/umfragen/{survey.pk}/drucken/")
    assert page.locator(".survey-qr svg").is_visible()
    axe_check(page)
    screenshot(page, "printable")
    # the live server shares SQLite's one connection: no request of the page may still run
    # while this thread writes
    page.wait_for_load_state("networkidle")
    demo.load_drawings(stdout=__import__("io").StringIO())
    page.goto(live_server.url + "/mein-quartier/karte/")
    page.wait_for_selector(f"#proposal-map-{south.slug} path")
    axe_check(page)
    screenshot(page, "my-quarter-staff")
    page.wait_for_load_state("networkidle")  # (and none while the test's transaction ends)


def test_a_split_started_from_the_peoples_proposal(page, live_server, axe_check):
    """The staff map's button opens the split screen with the proposal drawn and named, its
    preview shown; "Aufteilen" saves exactly that."""
    from participation.surveys import demo
    from tests.browser.test_map_widgets import login
    from tests.browser.test_restructure import CSP_WATCH
    from tests.factories import make_manager

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_WATCH)
    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))
    make_manager(south, username="qm-suedstadt")
    demo.load_drawings(stdout=__import__("io").StringIO())
    login(page, live_server, "qm-suedstadt")
    page.goto(live_server.url + "/mein-quartier/karte/")
    page.get_by_role("link", name="Südstadt nach diesem Vorschlag aufteilen").click()
    page.wait_for_url("**/aufteilen/?vorschlag=mein-quartier")
    page.wait_for_selector("#split-map path.map-role-area")
    assert "Die Teile kommen aus dem Vorschlag" in page.locator(".split-proposal-note").inner_text()
    names = {page.input_value(f"#id_name_{n}") for n in (1, 2, 3)}
    assert {"Bahnhofsviertel", "Am Stadtpark"} <= names
    page.wait_for_selector("#split-preview-title")
    axe_check(page)
    screenshot(page, "split-from-proposal")
    page.fill("#id_name_1", page.input_value("#id_name_1") + " (neu)")
    page.get_by_role("button", name="Vorschau aktualisieren").click()
    page.wait_for_selector("#split-preview-title")
    page.get_by_role("button", name="Aufteilen").click()
    page.wait_for_selector(".messagelist .success")
    children = sorted(area.name for area in south.children.all())
    assert len(children) == 3 and any(name.endswith(" (neu)") for name in children)
    assert errors == [] and page.evaluate("window.cspViolations") == []


def test_self_description_point_cells_and_who_is_reached(page, live_server, axe_check):
    """The voluntary self-description on a phone, the point answers as cells, the quarter's
    page with who is reached — axe on each."""
    from participation.surveys.lifeworlds import lifeworld_record
    from participation.surveys.models import LifeworldAnswer, LifeworldChoice, PopulationFigure

    default_lifeworld_questions()  # a transactional test: the migration's rows are gone
    south = make_area("Südstadt", boundary=square(7.40, 51.40, 0.05))
    today = datetime.date.today()
    survey = Survey.objects.create(
        title="Gefährliche Orte",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        is_published=True,
    )
    survey.areas.set([south])
    where = SurveyQuestion.objects.create(
        survey=survey, position=1, kind=QuestionKind.POINT, text="Wo ist es gefährlich?"
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + f"/umfragen/{survey.pk}/")
    page.locator("summary", has_text="Freiwillig: ein paar Angaben zu Ihnen").click()
    page.get_by_label("30 bis 44").check()
    page.get_by_label("Türkisch").check()
    page.get_by_label("Deutsch").check()
    axe_check(page)
    screenshot(page, "survey-self-description")
    page.get_by_role("button", name="Antworten abschicken").click()
    assert "Danke für Ihre Teilnahme!" in page.locator(".messages").inner_text()
    picked = sorted(LifeworldAnswer.objects.values_list("choice__text", flat=True))
    assert picked == ["30 bis 44", "Deutsch", "Türkisch"]
    page.set_viewport_size({"width": 1200, "height": 900})
    for index in range(7):
        response = SurveyResponse.objects.create(survey=survey, area=south)
        point = [7.4101 + index * 0.0001, 51.4101]
        response.answers.create(question=where, geometry={"type": "Point", "coordinates": point})
    page.goto(live_server.url + f"/umfragen/{survey.pk}/ergebnisse/")
    page.wait_for_selector(f"#point-cells-{where.pk}-map path")
    assert "Orte je Feld" in page.content()
    axe_check(page)
    screenshot(page, "survey-results-points")
    PopulationFigure.objects.create(area=south, group="30 bis 44", count=4000)
    PopulationFigure.objects.create(area=south, group="65 bis 79", count=2000)
    for text, n in [("30 bis 44", 9), ("65 bis 79", 5)]:
        choice = LifeworldChoice.objects.get(text=text)
        for _ in range(n):
            lifeworld_record(area=south, choices=[choice])
    page.goto(live_server.url + f"/quartiere/{south.slug}/")
    section = page.locator("section", has_text="Wer wird erreicht")
    assert "Bevölkerung nach Gruppen" in section.inner_text()
    axe_check(page)
    screenshot(page, "area-reach")


def default_lifeworld_questions():
    """Two of the default questions (the migration adds them; a transactional test has lost
    its rows)."""
    from participation.surveys.models import LifeworldQuestion

    if LifeworldQuestion.objects.exists():
        return
    for position, (text, multiple, choices) in enumerate(
        [
            ("Wie alt sind Sie?", False, ["18 bis 29", "30 bis 44", "65 bis 79"]),
            ("Welche Sprachen sprechen Sie zu Hause?", True, ["Deutsch", "Türkisch"]),
        ]
    ):
        question = LifeworldQuestion.objects.create(position=position, text=text, multiple=multiple)
        for number, choice in enumerate(choices):
            question.choices.create(
                position=number, text=choice, population_group=choice if not multiple else ""
            )
