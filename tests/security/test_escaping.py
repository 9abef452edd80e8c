"""Every user text field with HTML/script comes out escaped: public pages, admin, CSV export.

One payload goes into every text field people can type into (idea title/text/name, comment,
meeting registration name/note, partner description, join request, mood comment, barrier
report, account names). Then every page that shows them — public and admin, list and
change form — must contain the payload only escaped. The CSV export neutralises formulas.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from network.models import JoinRequest, PartnerKind
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment
from participation.meetings.models import Registration
from quartier.models import BarrierReport
from tests.factories import make_coordination, make_user
from tests.network.factories import make_partner
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW = ["<script>alert", "<img src=x onerror"]
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def world():
    north, _south = two_areas()
    author = make_user("autorin", first_name=PAYLOAD, last_name=PAYLOAD)
    idea = make_idea(north, title=PAYLOAD, text=PAYLOAD, author_name=PAYLOAD)
    own = make_idea(north, title="Mit Konto " + PAYLOAD, author=author, author_name="")
    Comment.objects.create(idea=idea, author=author, text=PAYLOAD)
    meeting = make_meeting(north, title="Treffen", text=PAYLOAD)
    Registration.objects.create(meeting=meeting, name=PAYLOAD, email="a@example.org", note=PAYLOAD)
    Registration.objects.create(meeting=meeting, name=FORMULA, email="b@example.org", note=FORMULA)
    partner = make_partner("Verein " + PAYLOAD, areas=[north], description=PAYLOAD)
    JoinRequest.objects.create(
        organisation_name=PAYLOAD,
        kind=PartnerKind.ASSOCIATION,
        description=PAYLOAD,
        contact_name=PAYLOAD,
        contact_email="c@example.org",
    )
    MoodAnswer.objects.create(
        area=north,
        score=3,
        comment=PAYLOAD,
        comment_status=MoodAnswer.CommentStatus.PUBLISHED,
    )
    BarrierReport.objects.create(
        name=PAYLOAD, email="d@example.org", page_url="/", description=PAYLOAD
    )
    return {"area": north, "idea": idea, "own": own, "meeting": meeting, "partner": partner}


def _assert_escaped(response, where):
    body = response.content.decode(errors="replace")
    for raw in RAW:
        assert raw not in body, f"unescaped payload on {where}"


def _public_paths(world):
    area, idea, meeting, partner = world["area"], world["idea"], world["meeting"], world["partner"]
    return [
        "/",
        "/ideen/",
        f"/ideen/{idea.pk}/",
        f"/ideen/{world['own'].pk}/",
        "/ideen/karte/",
        "/treffen/",
        f"/treffen/{meeting.pk}/",
        "/quartiere/",
        f"/quartiere/{area.slug}/",
        "/netzwerk/",
        f"/netzwerk/{partner.slug}/",
        "/netzwerk/bild/",
        f"/quartiere/{area.slug}/netzwerk/",
        f"/stimmung/?gebiet={area.slug}",
        "/en/ideen/",
    ]


def test_public_pages_escape_everything(client, world):
    shown = 0
    for path in _public_paths(world):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response, path)
        shown += "&lt;script&gt;alert" in response.content.decode()
    assert shown >= 5  # the payload really is shown, escaped


def test_account_pages_escape_everything(client, world):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="autorin"))
    for path in ["/konto/", "/konto/beitraege/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response, path)


def test_admin_lists_and_forms_escape_everything(client, world):
    client.force_login(make_user("chefin", is_staff=True, is_superuser=True))
    visited = 0
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        response = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert response.status_code == 200, model
        _assert_escaped(response, f"{model._meta.label} list")
        for obj in model._default_manager.all()[:5]:
            for view in ("change", "delete"):
                try:
                    url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
                except NoReverseMatch:
                    continue
                response = client.get(url)
                if response.status_code == 200:
                    _assert_escaped(response, url)
                    visited += 1
    assert visited > 20


def test_json_and_geojson_carry_text_not_markup_for_scripts(client, world):
    """JSON answers are data: the payload is a JSON string, served as JSON (nosniff)."""
    for path in ["/ideen.geojson", "/netzwerk.geojson", "/quartiere.geojson"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "json" in response.headers["Content-Type"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_mails_are_plain_text(client, world, mailoutbox):
    """Mails are plain text only (no HTML part): markup in them can never run."""
    from participation.ideas.models import IdeaStatus
    from participation.ideas.services import idea_publish

    world["idea"].status = IdeaStatus.PENDING
    world["idea"].save()
    idea_publish(idea=world["idea"], by=make_coordination("k2"))
    for message in mailoutbox:
        assert not getattr(message, "alternatives", None)
        assert message.content_subtype == "plain"


def test_participant_csv_neutralises_formulas(client, world):
    client.force_login(make_coordination("koordination"))
    url = reverse("admin:participation_meeting_participants", args=[world["meeting"].pk])
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
