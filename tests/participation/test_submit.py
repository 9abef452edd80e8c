import re
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from participation.ideas.models import Idea, IdeaStatus
from participation.ideas.services import CONFIRM_SALT
from participation.topics.models import Topic
from tests.factories import make_user

from .helpers import jpeg_with_gps, two_areas, upload

pytestmark = pytest.mark.django_db
URL = reverse("participation:idea-create")
SCRIPT = '<script>alert("x")</script>'


def form_data(**extra):
    data = {
        "kind": "weakness",
        "title": "Dunkle Unterführung",
        "text": "Abends ist es dort unheimlich.",
        "topic": Topic.objects.first().pk,
        "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
        "author_name": "Erika Muster",
        "author_email": "erika@example.org",
        "privacy": "on",
        "website": "",
    }
    data.update(extra)
    return data


def test_visitor_submits_confirms_and_idea_waits_for_moderation(client, on_commit):
    north, _south = two_areas()
    with on_commit():
        response = client.post(URL, form_data())
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.area == north
    assert idea.confirmed_at is None
    assert not Idea.objects.managed_by(make_user(is_superuser=True)).exists()
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+/ideen/bestaetigen/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.confirmed_at is not None
    assert idea.status == IdeaStatus.PENDING
    assert not Idea.objects.public().exists()


def test_bad_and_expired_tokens_are_refused(client, settings):
    two_areas()
    client.post(URL, form_data())
    idea = Idea.objects.get()
    assert client.get(reverse("participation:idea-confirm", args=["nonsense"])).status_code == 400
    token = signing.dumps({"idea": idea.pk}, salt=CONFIRM_SALT)
    later = timezone.now().timestamp() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(reverse("participation:idea-confirm", args=[token]))
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.confirmed_at is None


def test_account_skips_confirmation(client):
    two_areas()
    user = make_user()
    client.force_login(user)
    data = form_data()
    for key in ("author_name", "author_email", "privacy"):
        data.pop(key)
    assert client.post(URL, data).status_code == 302
    idea = Idea.objects.get()
    assert idea.author == user and idea.confirmed_at is not None
    assert mail.outbox == []


def test_without_point_the_area_is_chosen(client):
    _north, south = two_areas()
    assert client.post(URL, form_data(location="", area=south.pk)).status_code == 302
    assert Idea.objects.get().area == south


def test_photo_is_stored_without_exif(client):
    two_areas()
    data = form_data(photo=upload(jpeg_with_gps()), photo_alt="Die Unterführung")
    assert client.post(URL, data).status_code == 302
    idea = Idea.objects.get()
    from PIL import Image

    with idea.photo.open() as stored:
        image = Image.open(stored)
        assert not image.getexif()
    assert idea.thumbnail.name.startswith("ideas/thumbs/")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Dieses Feld ist zwingend"),
        ({"title": "x" * 161}, "title", "höchstens 160"),
        ({"text": "x" * 5001}, "text", "höchstens 5000"),
        ({"kind": "banana"}, "kind", "gültige Auswahl"),
        ({"topic": "abc"}, "topic", "gültige Auswahl"),
        ({"topic": ""}, "topic", "Bitte wählen Sie ein Thema"),
        ({"location": "not json"}, "location", "Der Ort ist ungültig"),
        (
            {"location": '{"type":"Point","coordinates":[999,1]}'},
            "location",
            "Der Ort ist ungültig",
        ),
        (
            {"location": '{"type": "Point", "coordinates": [0.5, 0.5]}'},
            "location",
            "außerhalb aller Quartiere",
        ),
        ({"location": "", "area": ""}, "area", "Gebiet aus der Liste"),
        ({"author_email": "keine-adresse"}, "author_email", "gültige E-Mail"),
        ({"privacy": ""}, "privacy", "Bitte stimmen Sie der Speicherung"),
        ({"website": "http://spam"}, "website", "leer bleiben"),
    ],
)
def test_bad_input_keeps_what_was_typed(client, changes, field, message):
    two_areas()
    data = form_data(**changes)
    data = {key: value for key, value in data.items() if value != "" or key in changes}
    response = client.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert Idea.objects.count() == 0
    html = response.content.decode()
    if field != "title":
        assert "Dunkle Unterführung" in html
    if field != "author_email":
        assert "erika@example.org" in html


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "a.svg", "kein Foto"),
        (b"just text", "a.jpg", "kein Foto"),
        (jpeg_with_gps()[:300], "a.jpg", "beschädigt"),
    ],
)
def test_bad_photos_give_a_message_and_keep_the_rest(client, data, name, message):
    two_areas()
    response = client.post(URL, form_data(photo=upload(data, name=name), photo_alt="Foto"))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["photo"])
    assert message in errors
    assert "Dunkle Unterführung" in response.content.decode()
    assert Idea.objects.count() == 0


def test_other_error_says_the_photo_must_be_chosen_again(client):
    two_areas()
    response = client.post(
        URL, form_data(title="", photo=upload(jpeg_with_gps()), photo_alt="Foto")
    )
    assert "noch einmal aus" in " ".join(response.context["form"].errors["photo"])


def test_script_in_fields_is_escaped_on_error(client):
    two_areas()
    response = client.post(URL, form_data(title=SCRIPT, author_email="x"))
    assert SCRIPT not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_rate_limit_per_email(client, settings):
    two_areas()
    again = form_data(confirm_new="on")  # the same text again: past "already submitted"
    for _ in range(5):
        assert client.post(URL, again).status_code == 302
    response = client.post(URL, again, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 400
    assert "sehr oft" in response.content.decode()
    assert Idea.objects.count() == 5


def test_form_page_renders_for_visitors_and_accounts(client):
    two_areas()
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-point-input="id_location"' in response.content.decode()
    client.force_login(make_user())
    assert "author_email" not in client.get(URL).content.decode()


def test_null_bytes_and_control_characters(client, on_commit):
    from participation.ideas import services
    from tests.factories import make_coordination

    two_areas()
    response = client.post(URL, form_data(title="A\x00B"))
    assert response.status_code == 400
    # a line break in a one-line field is refused with a message, not stored
    assert client.post(URL, form_data(title="Zeile\r\nBcc: x@example.org")).status_code == 400
    with on_commit():
        assert client.post(URL, form_data(title="Zeile")).status_code == 302
    Idea.objects.update(title="Zeile\r\nBcc: x@example.org")  # as old data could hold it
    idea = Idea.objects.get()
    services.idea_confirm(token=services.idea_confirm_token(idea))
    boss = make_coordination()
    services.idea_publish(idea=idea, by=boss)
    with on_commit():
        services.idea_answer(idea=Idea.objects.get(), by=boss, text="Antwort")
    assert all("\n" not in message.subject for message in mail.outbox)
