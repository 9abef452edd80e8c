"""Following an area or a place: opt-in, one click, unsubscribe, Meine Benachrichtigungen."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.subscriptions import services
from participation.subscriptions.models import Frequency, Subscription
from tests.factories import make_area, make_user, square

pytestmark = pytest.mark.django_db

FOLLOW = "/benachrichtigungen/neu/"


@pytest.fixture
def area():
    return make_area("Nordstadt", boundary=square(7.46, 51.51))


def link_in(message, part):
    return re.search(rf"https?://\S+/benachrichtigungen/{part}/\S+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def assert_unsubscribe_headers(message):
    assert re.fullmatch(
        r"<https?://\S+/benachrichtigungen/abbestellen/\S+/>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/benachrichtigungen/abbestellen/" in message.body


# --- visitors: double opt-in ---------------------------------------------------------------


def test_visitor_follows_with_confirmed_email(client, area, on_commit):
    with on_commit():
        response = client.post(FOLLOW, {"area": area.pk, "quick": "1", "email": "a@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:subscription-sent")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.email == "a@example.org"
    (message,) = mail.outbox
    assert_unsubscribe_headers(message)
    confirm = path_of(link_in(message, "bestaetigen"))

    page = client.get(confirm)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and "Ja, bestätigen" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    done = client.post(confirm)
    assert "ist bestätigt" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_bad_confirmation_link_is_404(client):
    response = client.get("/benachrichtigungen/bestaetigen/kaputt/")
    assert response.status_code == 404
    assert "gilt nicht mehr" in response.content.decode()
    assert client.post("/benachrichtigungen/bestaetigen/kaputt/").status_code == 404


def test_visitor_asking_twice_gets_the_link_again_not_a_second_subscription(
    client, area, on_commit
):
    for _ in range(2):
        with on_commit():
            client.post(FOLLOW, {"area": area.pk, "quick": "1", "email": "a@example.org"})
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "email,message",
    [
        ("", "Dieses Feld ist zwingend erforderlich."),
        ("keine-adresse", "gültige E-Mail-Adresse"),
        ("x" * 300 + "@example.org", "höchstens 254 Zeichen"),
        ("<script>@example.org", "gültige E-Mail-Adresse"),
    ],
)
def test_invalid_email_is_refused_and_kept(client, area, email, message):
    response = client.post(
        FOLLOW, {"area": area.pk, "notify_ideas": "on", "frequency": "weekly", "email": email}
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "<script>" not in body
    assert Subscription.objects.count() == 0


def test_honeypot_and_nothing_chosen(client, area):
    response = client.post(
        FOLLOW, {"area": area.pk, "frequency": "weekly", "email": "a@example.org"}
    )
    assert "mindestens eine Art" in response.content.decode()
    response = client.post(
        FOLLOW, {"area": area.pk, "quick": "1", "email": "a@example.org", "website": "spam"}
    )
    assert response.status_code == 200
    assert Subscription.objects.count() == 0


def test_rate_limit_for_visitors(client, area, settings):
    settings.RATELIMIT_ENABLED = True
    for number in range(10):
        client.post(FOLLOW, {"area": area.pk, "quick": "1", "email": f"a{number}@example.org"})
    response = client.post(FOLLOW, {"area": area.pk, "quick": "1", "email": "b@example.org"})
    assert "sehr oft" in response.content.decode()


def test_follow_page_preselects_the_area_and_refuses_unknown_ones(client, area):
    make_area("Südstadt", boundary=square(7.46, 51.49))
    page = client.get(FOLLOW + "?area=nordstadt").content.decode()
    assert f'<option value="{area.pk}" selected>' in page
    response = client.post(FOLLOW, {"area": 99999, "quick": "1", "email": "a@example.org"})
    assert "gültige Auswahl" in response.content.decode()


# --- accounts: one click -------------------------------------------------------------------


def test_account_follows_in_one_click_from_the_area_page(client, area):
    user = make_user("rita")
    client.force_login(user)
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Folgen" in page and 'name="email"' not in page
    response = client.post(FOLLOW, {"area": area.pk, "quick": "1"})
    assert response.status_code == 302 and response["Location"] == area.get_absolute_url()
    subscription = Subscription.objects.get()
    assert subscription.user == user and subscription.confirmed_at is not None
    assert subscription.notify_ideas and subscription.notify_answers
    assert subscription.notify_meetings and subscription.frequency == Frequency.WEEKLY
    assert not mail.outbox
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Sie folgen „Nordstadt“" in page
    client.post(FOLLOW, {"area": area.pk, "quick": "1"})  # twice: still one
    assert Subscription.objects.count() == 1


def test_visitor_sees_email_field_on_area_page(client, area):
    page = client.get(area.get_absolute_url()).content.decode()
    assert 'id="follow-email"' in page and 'for="follow-email"' in page


def test_database_allows_one_subscription_per_account_and_area(area):
    user = make_user()
    Subscription.objects.create(user=user, area=area, confirmed_at="2026-01-01T00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=user, area=area)


# --- place ---------------------------------------------------------------------------------


def test_follow_a_place(client, area):
    client.force_login(make_user())
    response = client.post(
        "/benachrichtigungen/ort/",
        {
            "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
            "radius_m": "500",
            "notify_ideas": "on",
            "frequency": "immediately",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.area is None and subscription.radius_m == 500
    assert (subscription.lng, subscription.lat) == (7.465, 51.515)


def test_place_form_falls_back_to_an_area_without_map(client, area):
    client.force_login(make_user())
    client.post(
        "/benachrichtigungen/ort/",
        {"area": area.pk, "radius_m": "1000", "notify_meetings": "on", "frequency": "weekly"},
    )
    subscription = Subscription.objects.get()
    assert subscription.area == area and subscription.radius_m is None


@pytest.mark.parametrize(
    "data,message",
    [
        ({"radius_m": "100"}, "zwischen 300 m und 3 km"),
        ({"radius_m": "5000"}, "zwischen 300 m und 3 km"),
        ({"radius_m": "viel"}, "zwischen 300 m und 3 km"),
        ({"location": '{"type": "Point", "coordinates": [0.5, 0.5]}'}, "außerhalb aller Quartiere"),
        ({"location": "<b>kaputt</b>"}, "Der Ort ist ungültig"),
        ({"location": ""}, "Bitte wählen Sie einen Ort auf der Karte oder ein Gebiet"),
    ],
)
def test_place_bad_input(client, area, data, message):
    client.force_login(make_user())
    post = {
        "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
        "radius_m": "1000",
        "notify_ideas": "on",
        "frequency": "weekly",
        **data,
    }
    response = client.post("/benachrichtigungen/ort/", post)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "<b>kaputt</b>" not in body
    assert Subscription.objects.count() == 0


def test_database_refuses_radius_out_of_range(area):
    user = make_user()
    for radius in (299, 3001):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(
                user=user,
                location={"type": "Point", "coordinates": [7.465, 51.515]},
                lng=7.465,
                lat=51.515,
                radius_m=radius,
            )


def test_database_refuses_area_and_place_together_or_neither(area):
    user = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(
            user=user,
            area=area,
            location={"type": "Point", "coordinates": [7.465, 51.515]},
            lng=7.465,
            lat=51.515,
            radius_m=500,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=user)


# --- unsubscribe ---------------------------------------------------------------------------


def confirmed_visitor(area):
    return Subscription.objects.create(
        email="v@example.org", area=area, confirmed_at="2026-01-01T00:00Z"
    )


def test_unsubscribe_get_asks_then_post_ends(client, area):
    subscription = confirmed_visitor(area)
    url = f"/benachrichtigungen/abbestellen/{subscription.token}/"
    page = client.get(url)
    assert "Ja, abbestellen" in page.content.decode()
    assert Subscription.objects.exists()
    client.post(url)
    assert not Subscription.objects.exists()
    assert "keine E-Mails mehr" in client.post(url).content.decode()  # twice: still fine


def test_one_click_unsubscribe_without_csrf_token(area):
    subscription = confirmed_visitor(area)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/benachrichtigungen/abbestellen/{subscription.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_other_views_still_need_csrf(area):
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(FOLLOW, {"area": area.pk, "quick": "1"}).status_code == 403


def test_unknown_unsubscribe_token(client):
    page = client.get("/benachrichtigungen/abbestellen/gibt-es-nicht/").content.decode()
    assert "gibt es nicht" in page


# --- Meine Benachrichtigungen --------------------------------------------------------------


def test_list_requires_login(client):
    response = client.get("/benachrichtigungen/")
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_edit_and_delete_own_subscription(client, area):
    user = make_user()
    subscription = services.subscription_create(user=user, area=area)
    client.force_login(user)
    page = client.get("/benachrichtigungen/").content.decode()
    assert "Nordstadt" in page and "Wöchentlich gesammelt" in page
    edit = f"/benachrichtigungen/{subscription.pk}/bearbeiten/"
    response = client.post(edit, {"notify_meetings": "on", "frequency": "immediately"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.notify_ideas and subscription.notify_meetings
    assert subscription.frequency == Frequency.IMMEDIATELY
    response = client.post(edit, {"frequency": "sometimes"})
    assert "gültige Auswahl" in response.content.decode()
    delete = f"/benachrichtigungen/{subscription.pk}/loeschen/"
    assert "Ja, löschen" in client.get(delete).content.decode()
    client.post(delete)
    assert not Subscription.objects.exists()


def test_others_subscriptions_are_404(client, area):
    subscription = services.subscription_create(user=make_user(), area=area)
    client.force_login(make_user())
    assert client.get(f"/benachrichtigungen/{subscription.pk}/bearbeiten/").status_code == 404
    assert client.post(f"/benachrichtigungen/{subscription.pk}/loeschen/").status_code == 404
    assert Subscription.objects.exists()
    assert "Nordstadt" not in client.get("/benachrichtigungen/").content.decode()


def test_visitor_manages_through_the_signed_link(client, area):
    subscription = confirmed_visitor(area)
    url = reverse(
        "participation:subscription-manage", kwargs={"token": services.manage_token(subscription)}
    )
    assert "v@example.org" in client.get(url).content.decode()
    client.post(url, {"notify_answers": "on", "frequency": "weekly"})
    subscription.refresh_from_db()
    assert subscription.notify_answers and not subscription.notify_ideas
    forged = f"/benachrichtigungen/verwalten/{subscription.token}/"
    assert client.get(forged).status_code == 404


def test_list_page_queries_do_not_grow(client):
    user = make_user()
    client.force_login(user)
    areas = [make_area(boundary=square(7.0 + n * 0.02, 51.0)) for n in range(6)]
    services.subscription_create(user=user, area=areas[0])
    client.get("/benachrichtigungen/")
    with CaptureQueriesContext(connection) as few:
        client.get("/benachrichtigungen/")
    for area in areas[1:]:
        services.subscription_create(user=user, area=area)
    services.subscription_create(
        user=user, location={"type": "Point", "coordinates": [7.005, 51.005]}, radius_m=500
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/benachrichtigungen/")
    assert response.content.decode().count('class="card"') == 7
    assert len(many) == len(few)


def test_personal_data_export_and_account_deletion(area):
    from participation.subscriptions import personal_data as provider

    user = make_user()
    services.subscription_create(user=user, area=area)
    assert provider.export(user)["subscriptions"][0]["area"] == "Nordstadt"
    provider.anonymise(user)
    assert not Subscription.objects.exists()


def test_edit_a_place_radius(client, area):
    user = make_user()
    subscription = services.subscription_create(
        user=user, location={"type": "Point", "coordinates": [7.465, 51.515]}, radius_m=500
    )
    client.force_login(user)
    edit = f"/benachrichtigungen/{subscription.pk}/bearbeiten/"
    response = client.post(edit, {"notify_ideas": "on", "frequency": "weekly", "radius_m": "100"})
    assert "zwischen 300 m und 3 km" in response.content.decode()
    client.post(edit, {"notify_ideas": "on", "frequency": "weekly", "radius_m": "3000"})
    subscription.refresh_from_db()
    assert subscription.radius_m == 3000
