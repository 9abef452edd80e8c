"""`manage.py demo` runs anywhere: links use the served address, mails are readable, running it
again after residents added data changes nothing and never crashes; the demo data looks like a
real city's."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from neighbourhoods.models import Area
from network.models import ContactPerson, JoinRequest
from participation.feedback.models import MoodAnswer
from participation.feedback.selectors import Period
from participation.ideas import demo as ideas_demo
from participation.ideas.models import Answer, Idea, IdeaKind, IdeaStatus
from participation.meetings.models import Meeting, Registration
from participation.meetings.services import registration_create
from quartier.mail import as_message, render_portal_mail
from quartier.mailbackends import ReadableConsoleBackend
from quartier.management.commands.demo import site_url

pytestmark = pytest.mark.django_db


def run_demo(**options):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo is loaded once for the module's read-only tests (and rolled back after)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("8551", "http://127.0.0.1:8551"),
        ("127.0.0.1:8552", "http://127.0.0.1:8552"),
        ("0.0.0.0:8553", "http://localhost:8553"),
        ("[::1]:8554", "http://[::1]:8554"),
        ("quartier.local:80", "http://quartier.local:80"),
    ],
)
def test_site_url_follows_addrport(addrport, url):
    assert site_url(addrport) == url


def test_served_demo_links_to_its_own_address_and_prints_readable_mail(
    settings, monkeypatch, capsys
):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored after the test
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with (
        mock.patch("quartier.management.commands.demo.call_command") as fake,
        mock.patch("quartier.management.commands.demo.subprocess.Popen") as worker,
    ):
        out = io.StringIO()
        call_command("demo", addrport="127.0.0.1:8552", stdout=out)
    assert [c.args[0] for c in fake.call_args_list] == ["migrate", "runserver"]
    assert worker.call_args.args[0][-3:] == ["worker", "-v", "0"]  # the demo mails too
    from django.conf import settings as live

    assert live.SITE_URL == "http://127.0.0.1:8552"
    assert live.EMAIL_BACKEND == "quartier.mailbackends.ReadableConsoleBackend"
    assert "Portal: http://127.0.0.1:8552/" in out.getvalue()

    area = Area.objects.create(name="Weststadt", slug="weststadt")
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        area=area,
        title="Straßenfest",
        address="Marktplatz",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    capsys.readouterr()
    with mock.patch("django.db.transaction.on_commit", lambda callback: callback()):
        registration_create(meeting=meeting, name="Jürgen", email="j@example.org")
    printed = capsys.readouterr().out
    assert "Betreff: [Quartier Musterstadt] Ihre Anmeldung: Straßenfest" in printed
    assert "=?utf-8?" not in printed and "=C3=" not in printed
    assert f"http://127.0.0.1:8552/treffen/{meeting.pk}/" in printed
    assert "[Anhang: treffen-" in printed and ".ics (text/calendar" in printed


def test_readable_console_backend_decodes_what_it_prints():
    stream = io.StringIO()
    rendered = render_portal_mail(
        to="anwohnerin@example.org",
        subject="Grüße aus der Südstadt",
        template="mail/participation/idea_published.txt",
        context={"idea": Idea(title="Bänke"), "link": "http://x/ideen/1/"},
    )
    ReadableConsoleBackend(stream=stream).send_messages([as_message(rendered)])
    printed = stream.getvalue()
    assert "Betreff: [Quartier Musterstadt] Grüße aus der Südstadt" in printed
    assert "An:      anwohnerin@example.org" in printed


def test_demo_again_after_residents_added_data_changes_nothing_and_never_crashes():
    run_demo()
    assert mail.outbox == []  # loading the demo sends no mail
    counts = (Idea.objects.count(), Meeting.objects.count(), MoodAnswer.objects.count())
    registrations = Registration.objects.count()
    # residents (and staff) add data with the demo's names
    JoinRequest.objects.create(
        organisation_name="Repair-Café Südstadt",
        kind="initiative",
        description="Wir auch.",
        contact_name="X",
        contact_email="x@example.org",
    )
    for name in JoinRequest.objects.values_list("organisation_name", flat=True)[:1]:
        for _ in range(2):
            JoinRequest.objects.create(
                organisation_name=name.upper(),
                kind="other",
                description="Doppelt",
                contact_name="Y",
                contact_email="y@example.org",
            )
    meeting = Meeting.objects.filter(status="planned").first()
    Meeting.objects.create(
        area=meeting.area,
        title=meeting.title,
        address="Anderswo",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    registration = Registration.objects.filter(meeting=meeting).first()
    if registration:
        Registration.objects.create(meeting=meeting, name="Z", email=registration.email)
    idea = Idea.objects.first()
    Idea.objects.create(
        area=idea.area,
        title=idea.title,
        text="Gleicher Titel",
        kind=idea.kind,
        topic=idea.topic,
        author_name="Gast",
    )
    contact = ContactPerson.objects.first()
    ContactPerson.objects.create(partner=contact.partner, name=contact.name)
    added = Registration.objects.count() - registrations

    out = run_demo()
    assert "Demo-Daten sind bereit." in out
    assert Idea.objects.count() == counts[0] + 1
    assert Meeting.objects.count() == counts[1] + 1
    assert MoodAnswer.objects.count() == counts[2]
    assert Registration.objects.count() == registrations + added


# --- what the demo data looks like (loaded once) -------------------------------------------


@pytest.mark.usefixtures("_demo_once")
class TestDemoLooksReal:
    def test_titles_carry_no_area_suffix_and_repeat_nowhere_in_an_area(self):
        titles = list(Idea.objects.values_list("title", flat=True))
        assert len(titles) >= 45
        assert not [t for t in titles if re.search(r"\((Innenstadt|Südstadt|Nordstadt)", t)]
        duplicates = Idea.objects.values("area", "title").annotate(n=Count("pk")).filter(n__gt=1)
        assert not duplicates.exists()

    def test_statuses_fit_the_kind(self):
        strengths = set(
            Idea.objects.filter(kind=IdeaKind.STRENGTH).values_list("status", flat=True)
        )
        assert strengths <= {IdeaStatus.PUBLISHED, IdeaStatus.PENDING}
        assert set(Idea.objects.values_list("status", flat=True)) == set(IdeaStatus.values)
        for answer in Answer.objects.select_related("idea"):
            assert answer.created_at >= answer.idea.created_at
        for idea in Idea.objects.exclude(status__in=["pending", "rejected", "published"]):
            assert idea.answers.order_by("created_at").last().status_to == idea.status

    def test_dates_spread_over_the_last_18_months(self):
        now = timezone.now()
        ages = [
            (now - created).days for created in Idea.objects.values_list("created_at", flat=True)
        ]
        assert max(ages) > 365 and min(ages) < 14
        months = {
            created.strftime("%Y-%m")
            for created in Idea.objects.values_list("created_at", flat=True)
        }
        assert len(months) >= 12
        assert all(
            created <= now for created in Answer.objects.values_list("created_at", flat=True)
        )

    def test_meetings_differ_per_area(self):
        titles = {
            area: set(Meeting.objects.filter(area=area).values_list("title", flat=True))
            for area in Area.objects.current()
        }
        assert all(titles.values())
        areas = list(titles)
        for first in areas:
            for second in areas:
                if first != second:
                    assert not titles[first] & titles[second]

    def test_mood_has_enough_answers_and_varied_comments(self):
        current = Period.current()
        for quarter in Area.objects.current().quarters():
            count = MoodAnswer.objects.filter(
                area__in=Area.objects.filter(pk=quarter.pk) | quarter.children.all(),
                month__gte=current.previous.first_day,
                month__lt=current.first_day,
            ).count()
            assert count >= 5, quarter.name
        comments = set(MoodAnswer.objects.exclude(comment="").values_list("comment", flat=True))
        assert len(comments) >= 10

    def test_demo_photo_has_no_broken_letters(self):
        font = ideas_demo.caption_font()
        if font is not None:
            missing = ideas_demo._glyph(font, "\ue000")
            assert all(ideas_demo._glyph(font, letter) != missing for letter in "äöüß")
        assert Idea.objects.exclude(photo="").count() >= 5
