"""No English on a German admin page: coordination and a quarter manager walk every admin
list, add and change page, the inbox, the Protokoll and the moderation pages with German
active, and no known English UI string shows (Django's own strings that appear when a
translation is missing, and our model and field names when a verbose name is missing)."""

import contextlib
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from network.models import JoinRequest, PartnerChange
from participation.feedback.models import MoodAnswer
from participation.feedback.services import mood_comment_moderate
from participation.ideas import services as idea_services
from participation.ideas.models import Comment, Flag, IdeaStatus
from participation.meetings.models import Registration
from participation.subscriptions.services import subscription_create
from quartier.models import BarrierReport
from tests.factories import make_area, make_coordination, make_manager, make_user, square
from tests.network.factories import make_contact, make_cooperation, make_partner
from tests.participation.helpers import make_idea, two_areas
from tests.participation.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

# Django admin's English UI strings that show when German is missing (matched as whole words,
# case-sensitive) ...
ENGLISH_UI = [
    "Add",
    "Change",
    "Delete",
    "Save",
    "Save and add another",
    "Save and continue editing",
    "Save and view",
    "Search",
    "Show all",
    "Choose all",
    "Remove all",
    "Available",
    "Chosen",
    "Action",
    "Go",
    "History",
    "View on site",
    "Recent actions",
    "My actions",
    "None available",
    "Home",
    "Log out",
    "Welcome",
    "Change password",
    "View site",
    "Close",
    "Yes",
    "Unknown",
    "All",
    "Today",
    "Past 7 days",
    "This month",
    "This year",
    "No date",
    "Has date",
    "Select all",
    "Clear selection",
    "Please correct",
    "This field is required",
    "Currently",
    "Add another",
    "Remove",
    "Toggle navigation",
    "Skip to main content",
    "Start typing to filter",
    "results",
    "selected",
    "Date/time",
    "Object",
    "User",
    "Created",
    "Updated",
    "Deleted",
    "Minutes",
    "Published",
    "Pending",
]
# ... and field or model names without a German verbose name (any case: column heads are
# shown in capitals).
ENGLISH_NAMES = [
    "actor",
    "idea",
    "author",
    "comment",
    "created at",
    "updated at",
    "reporter key",
    "event key",
    "cancel token",
    "name key",
    "subscription",
    "notification",
    "answer",
    "meeting",
    "area",
    "auto_hide",
    "auto hide",
    "mark_duplicate",
    "report_export",
    "log entry",
]
PATTERNS = [re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])") for word in ENGLISH_UI] + [
    re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE) for word in ENGLISH_NAMES
]
UI_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class VisibleText(HTMLParser):
    """The text a person reads or hears: text outside script/style, labelling attributes,
    and the captions of buttons."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        attrs = dict(attrs)
        for name in UI_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_on(html):
    parser = VisibleText()
    parser.feed(html)
    text = " \n ".join(parser.parts)
    return sorted({match.group(0) for pattern in PATTERNS for match in pattern.finditer(text)})


@pytest.fixture
def office():
    """One of everything the admin shows, with German data only."""
    north, south = two_areas()
    make_area("Nordstadt-Ost", parent=north, boundary=square(7.465, 51.515, 0.004))
    manager = make_manager(north)
    coordination = make_coordination()
    pending = make_idea(north, status=IdeaStatus.PENDING, title="Wartet noch")
    public = make_idea(north, title="Bänke am Platz")
    make_idea(north, title="Bänke am Platz, älter")
    idea_services.idea_answer(idea=public, by=coordination, text="Wir prüfen.")
    comment = Comment.objects.create(idea=public, text="Gute Sache", author=make_user())
    for key in ("a", "b", "c"):
        idea_services.flag_create(idea=public, reporter_key=key, reason="Werbung")
    Flag.objects.create(idea=public, comment=comment, reporter_key="x", reason="Beleidigung")
    idea_services.idea_hide(idea=public, by=coordination, reason="Prüfen")
    meeting = make_meeting(north, title="Stadtteilgespräch", capacity=10, days=-1)
    Registration.objects.create(meeting=meeting, name="Ida", email="ida@example.org")
    mood = MoodAnswer.objects.create(area=north, score=2, comment="Laut", comment_status="pending")
    mood_comment_moderate(answer=mood, publish=False, by=coordination)
    MoodAnswer.objects.create(area=north, score=4, comment="Ruhig", comment_status="pending")
    one = make_partner("Nachbarschaftsverein", areas=[north])
    two = make_partner("Kirchengemeinde", areas=[north])
    make_cooperation(one, two, title="Sommerfest")
    make_contact(one, name="Frau Beispiel")
    PartnerChange.objects.create(partner=one, changed_by=coordination, changes={"name": "Alt"})
    JoinRequest.objects.create(
        organisation_name="Chor",
        kind="association",
        description="Wir singen.",
        contact_name="Ana",
        contact_email="ana@example.org",
        consent=True,
    )
    subscription_create(user=make_user(), area=north)
    BarrierReport.objects.create(page_url="/ideen/", description="Kontrast zu schwach")
    return {"manager": manager, "coordination": coordination, "idea": pending, "public": public}


def admin_pages(client):
    """Every admin page a user may open: lists, add forms, change forms and their history."""
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        pages.append(reverse("admin:{}_{}_changelist".format(*info)) + "?q=nichts-gefunden")
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return pages


@pytest.mark.parametrize("role", ["coordination", "manager"])
def test_no_english_on_german_admin_pages(client, office, role):
    client.force_login(office[role])
    idea, public = office["idea"], office["public"]
    meeting = office["public"].area.meetings.first()
    pages = [
        *admin_pages(client),
        reverse("admin:participation_idea_publish", args=[idea.pk]),
        reverse("admin:participation_idea_reject", args=[idea.pk]),
        reverse("admin:participation_idea_answer", args=[public.pk]),
        reverse("admin:participation_idea_unhide", args=[public.pk]),
        reverse("admin:participation_meeting_collect", args=[meeting.pk]),
        reverse("admin:participation_moderationlog_changelist") + "?von=gestern",
        reverse("admin:neighbourhoods_area_split", args=[public.area.pk]),
        reverse("admin:neighbourhoods_area_retire", args=[public.area.pk]),
    ]
    walked, found = 0, {}
    for url in pages:
        response = client.get(url, follow=True)
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "de"
        walked += 1
        english = english_on(response.content.decode())
        if english:
            found[url] = english
    assert walked >= (40 if role == "coordination" else 25)
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())


def test_the_javascript_catalogue_is_german(client, office):
    client.force_login(office["manager"])
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    # Django 5.2's two-box selects ask for "Choose all %s"; its German catalogue lacks it
    assert json.dumps("Alle %s auswählen") in catalogue
    assert json.dumps("Ausgewählte %s entfernen") in catalogue


def test_the_check_finds_english(office):
    assert english_on("<th>Actor</th><td>x</td>") == ["Actor"]
    assert english_on('<input type="submit" value="Save">') == ["Save"]
    assert english_on('<script>var a = "Save";</script><p>Speichern</p>') == []
    assert english_on("<td>auto_hide</td>") == ["auto_hide"]
    assert timezone.now()
