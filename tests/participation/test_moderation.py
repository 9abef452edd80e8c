import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation.ideas import services
from participation.ideas.models import Answer, Comment, Idea, IdeaStatus, ModerationLog, Support
from participation.topics.models import Topic
from tests.factories import make_coordination, make_manager, make_user

from .helpers import make_idea, two_areas

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:participation_idea_changelist")
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def setup():
    north, south = two_areas()
    manager = make_manager(north)
    own = make_idea(north, title="Nord wartet", status=IdeaStatus.PENDING)
    other = make_idea(south, title="Süd wartet", status=IdeaStatus.PENDING)
    return north, south, manager, own, other


def test_manager_sees_only_own_areas(client, setup):
    _north, _south, manager, own, other = setup
    client.force_login(manager)
    html = client.get(CHANGELIST).content.decode()
    assert "Nord wartet" in html and "Süd wartet" not in html
    assert client.get(reverse("admin:participation_idea_change", args=[own.pk])).status_code == 200
    response = client.get(reverse("admin:participation_idea_change", args=[other.pk]))
    assert response.status_code in (302, 404)  # admin redirects for a missing object
    for name in ("answer", "reject", "hide"):
        assert (
            client.get(reverse(f"admin:participation_idea_{name}", args=[other.pk])).status_code
            == 404
        )


def test_tampered_ids_in_actions_change_nothing(client, setup):
    _north, _south, manager, own, other = setup
    client.force_login(manager)
    client.post(CHANGELIST, {"action": "approve", ACTION_CHECKBOX_NAME: [own.pk, other.pk]})
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == IdeaStatus.PUBLISHED
    assert other.status == IdeaStatus.PENDING


def test_resident_and_plain_staff_have_no_admin(client, setup):
    client.force_login(make_user())
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(make_user(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_coordination_sees_all(client, setup):
    client.force_login(make_coordination())
    html = client.get(CHANGELIST).content.decode()
    assert "Nord wartet" in html and "Süd wartet" in html


def test_pending_first(client, setup):
    north, _south, manager, own, _other = setup
    make_idea(north, title="Schon veröffentlicht")
    client.force_login(manager)
    ideas = list(client.get(CHANGELIST).context["cl"].result_list)
    assert ideas[0].pk == own.pk


def test_reject_with_reason_via_intermediate_page_mails_author(client, setup, on_commit):
    _north, _south, manager, own, _other = setup
    client.force_login(manager)
    response = client.post(CHANGELIST, {"action": "reject", ACTION_CHECKBOX_NAME: [own.pk]})
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    with on_commit():
        client.post(
            CHANGELIST,
            {"action": "reject", ACTION_CHECKBOX_NAME: [own.pk], "reason": "Doppelt eingereicht"},
        )
    own.refresh_from_db()
    assert own.status == IdeaStatus.REJECTED
    assert "Doppelt eingereicht" in mail.outbox[0].body
    assert mail.outbox[0].to == ["erika@example.org"]
    assert ModerationLog.objects.filter(action="reject", actor=manager).exists()


def test_answer_with_status_change_mails_author_and_notified_supporters(client, setup, on_commit):
    north, _south, manager, _own, _other = setup
    idea = make_idea(north)
    quiet, loud = make_user(), make_user()
    services.support_add(idea=idea, user=quiet, notify=False)
    services.support_add(idea=idea, user=loud, notify=True)
    client.force_login(manager)
    url = reverse("admin:participation_idea_answer", args=[idea.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"answer-status_to": "realised", "answer-text": "Geht nicht so schnell"}
    )
    assert response.status_code == 200  # published → realised is not allowed
    with on_commit():
        response = client.post(
            url, {"answer-status_to": "planned", "answer-text": "Wir planen das."}
        )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED
    answer = Answer.objects.get()
    assert (answer.status_from, answer.status_to) == ("published", "planned")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["erika@example.org", loud.email])
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Wir planen das." in html and "Quartiersmanagement" in html


def test_status_transitions_are_enforced(setup):
    north, _south, manager, own, _other = setup
    with pytest.raises(ValidationError):
        services.idea_answer(idea=own, by=manager, text="x", status_to="realised")
    services.idea_publish(idea=own, by=manager)
    with pytest.raises(ValidationError):
        services.idea_publish(idea=Idea.objects.get(pk=own.pk), by=manager)


def test_unconfirmed_ideas_cannot_be_published(setup):
    north, _south, manager, _own, _other = setup
    idea = make_idea(north, status=IdeaStatus.PENDING, confirmed_at=None)
    with pytest.raises(ValidationError):
        services.idea_publish(idea=idea, by=manager)


def test_nobody_moderates_their_own_contribution(setup):
    north, _south, manager, _own, _other = setup
    mine = make_idea(north, status=IdeaStatus.PENDING, author=manager, author_email="")
    with pytest.raises(PermissionDenied):
        services.idea_publish(idea=mine, by=manager)
    by_mail = make_idea(north, status=IdeaStatus.PENDING, author_email=manager.email.upper())
    with pytest.raises(PermissionDenied):
        services.idea_publish(idea=by_mail, by=manager)


def test_manager_of_other_area_cannot_use_services(setup):
    _north, south, _manager, own, _other = setup
    stranger = make_manager(south)
    with pytest.raises(PermissionDenied):
        services.idea_publish(idea=own, by=stranger)


def test_hide_comment_with_reason(client, setup):
    north, _south, manager, _own, _other = setup
    idea = make_idea(north)
    comment = services.comment_create(idea=idea, user=make_user(), text="Doof")
    client.force_login(manager)
    url = reverse("admin:participation_comment_changelist")
    client.post(
        url, {"action": "hide", ACTION_CHECKBOX_NAME: [comment.pk], "reason": "Beleidigung"}
    )
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Beleidigung"
    assert idea.comment_count == 0
    assert "Doof" not in client.get(idea.get_absolute_url()).content.decode()


def test_staff_enter_offline_idea(client, setup):
    north, south, manager, _own, _other = setup
    client.force_login(manager)
    url = reverse("admin:participation_idea_add")
    assert client.get(url).status_code == 200
    data = {
        "kind": "idea",
        "title": "Vom Treffen",
        "text": "Am Stand gesagt",
        "topic": Topic.objects.first().pk,
        "area": north.pk,
        "channel": "meeting",
        "author_name": "Herr K.",
        "author_email": "",
        "photo_alt": "",
        "location_text": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    idea = Idea.objects.get(title="Vom Treffen")
    assert idea.channel == "meeting" and idea.confirmed_at is not None
    assert ModerationLog.objects.filter(action="enter", idea=idea).exists()
    data.update(title="Fremd", area=south.pk)
    assert client.post(url, data).status_code == 200  # not a choice for this manager
    assert not Idea.objects.filter(title="Fremd").exists()


def test_script_is_escaped_in_admin(client, setup):
    north, _south, manager, _own, _other = setup
    idea = make_idea(north, title=SCRIPT, text=SCRIPT, author_name=SCRIPT, photo_alt=SCRIPT)
    Comment.objects.create(idea=idea, author=make_user(), text=SCRIPT)
    client.force_login(manager)
    for url in (
        CHANGELIST,
        reverse("admin:participation_idea_change", args=[idea.pk]),
        reverse("admin:participation_comment_changelist"),
        reverse("admin:participation_idea_answer", args=[idea.pk]),
    ):
        assert SCRIPT not in client.get(url).content.decode()


def test_moderation_log_scoped(client, setup):
    north, south, manager, own, other = setup
    services.idea_publish(idea=own, by=manager)
    services.idea_publish(idea=other, by=make_coordination())
    client.force_login(manager)
    rows = client.get(reverse("admin:participation_moderationlog_changelist")).context["rows"]
    published = [row.subject for row in rows if row.action == "Veröffentlicht"]
    assert published == [own.title]
    assert Support.objects.count() == 0


def test_offline_entry_errors_are_form_errors(client, setup):
    north, _south, manager, _own, _other = setup
    client.force_login(manager)
    url = reverse("admin:participation_idea_add")
    data = {
        "kind": "idea",
        "title": "Vom Telefon",
        "text": "Anruf",
        "topic": Topic.objects.first().pk,
        "area": "",
        "channel": "phone",
        "author_name": "",
        "author_email": "",
        "photo_alt": "",
        "location_text": '{"type": "Point", "coordinates": [0.5, 0.5]}',
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "außerhalb aller Quartiere" in response.content.decode()
    data["location_text"] = '{"type": "Point", "coordinates": [7.465, 51.495]}'  # Südstadt
    response = client.post(url, data)
    assert response.status_code == 200
    assert "nicht in Ihren Gebieten" in response.content.decode()
    assert not Idea.objects.filter(title="Vom Telefon").exists()
    data["location_text"] = '{"type": "Point", "coordinates": [7.465, 51.515]}'
    assert client.post(url, data).status_code == 302
    assert Idea.objects.get(title="Vom Telefon").area == north


def test_remove_photo_action(client, setup, on_commit):
    from .helpers import jpeg_with_gps, upload

    north, _south, manager, own, _other = setup
    services.idea_set_photo(idea=own, photo=upload(jpeg_with_gps()), photo_alt="Bild")
    names = (own.photo.name, own.thumbnail.name)
    client.force_login(manager)
    with on_commit():  # the files go once the removal is committed
        client.post(CHANGELIST, {"action": "remove_photo", ACTION_CHECKBOX_NAME: [own.pk]})
    own.refresh_from_db()
    assert not own.photo and not any(own.photo.storage.exists(name) for name in names)
    assert ModerationLog.objects.filter(action="remove_photo").exists()


def test_comments_and_flags_of_other_areas_are_out_of_reach(client, setup):
    north, south, manager, _own, _other = setup
    theirs = make_idea(south, title="Südlich")
    comment = services.comment_create(idea=theirs, user=make_user(), text="Fremder Kommentar")
    services.flag_create(idea=theirs, reporter_key="ip:x", reason="Fremde Meldung")
    client.force_login(manager)
    assert (
        "Fremder Kommentar"
        not in client.get(reverse("admin:participation_comment_changelist")).content.decode()
    )
    assert (
        "Fremde Meldung"
        not in client.get(reverse("admin:participation_flag_changelist")).content.decode()
    )
    response = client.get(reverse("admin:participation_comment_change", args=[comment.pk]))
    assert response.status_code in (302, 404)
    client.post(
        reverse("admin:participation_comment_changelist"),
        {"action": "hide", ACTION_CHECKBOX_NAME: [comment.pk], "reason": "weg"},
    )
    comment.refresh_from_db()
    assert not comment.is_hidden
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, by=manager, reason="weg")


def offline_paper_idea(title, area, photo):
    """What a manager types to enter an idea sent in on paper, with a photo."""
    return {
        "kind": "idea",
        "title": title,
        "text": "Brief",
        "topic": Topic.objects.first().pk,
        "area": area,
        "channel": "paper",
        "author_name": "",
        "author_email": "",
        "photo_alt": "Bild",
        "location_text": "",
        "photo_upload": photo,
    }


def test_bad_photo_in_offline_entry_is_a_form_error(client, setup):
    from .helpers import upload

    north, _south, manager, _own, _other = setup
    client.force_login(manager)
    data = offline_paper_idea("Mit Foto", north.pk, upload(b"<svg/>", "a.svg"))
    response = client.post(reverse("admin:participation_idea_add"), data)
    assert response.status_code == 200
    assert "kein Foto" in response.content.decode()
    assert not Idea.objects.filter(title="Mit Foto").exists()


def test_offline_entry_with_photo_processes_it_once(client, setup, monkeypatch, settings):
    from participation.ideas import admin as idea_admin
    from quartier import images

    from .helpers import jpeg_with_gps, upload

    north, _south, manager, _own, _other = setup
    calls = []

    def counting(uploaded):
        calls.append(uploaded.name)
        return images.process_image(uploaded)

    monkeypatch.setattr(idea_admin, "process_image", counting)
    monkeypatch.setattr(services, "process_image", counting)
    client.force_login(manager)
    photo = upload(jpeg_with_gps((800, 600)), "bank.jpg")
    data = offline_paper_idea("Mit Foto vom Stand", north.pk, photo)
    response = client.post(reverse("admin:participation_idea_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.get(title="Mit Foto vom Stand")
    assert idea.photo and idea.thumbnail
    assert calls == ["bank.jpg"]


def test_offline_entry_outside_ones_areas_writes_nothing(rf, setup, settings):
    """The last guard of save_model (an area unassigned after the form was checked): refused
    before the idea or its photo files are written."""
    from django.contrib import admin as django_admin

    from participation.ideas.admin import IdeaAdmin
    from quartier.images import process_image

    from .helpers import jpeg_with_gps, upload

    _north, south, manager, _own, _other = setup
    before = Idea.objects.count()
    request = rf.post("/")
    request.user = manager

    class CheckedForm:
        cleaned_data = {
            **offline_paper_idea(
                "Fremdes Gebiet", south, process_image(upload(jpeg_with_gps((400, 300)), "b.jpg"))
            ),
            "topic": Topic.objects.first(),
            "location_text": None,
        }

    model_admin = IdeaAdmin(Idea, django_admin.site)
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, Idea(), CheckedForm(), change=False)
    assert Idea.objects.count() == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
