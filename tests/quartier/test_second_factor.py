"""Staff accounts with a second factor: enrolment, log-in with an app code or a recovery code,
throttling, and everyone else unaffected."""

import re
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-und-lang-genug"
ADMIN = reverse("admin:index")
SETUP = reverse("accounts:otp-setup")
VERIFY = reverse("accounts:otp-verify")
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_2FA = True


@pytest.fixture
def staff():
    return make_user("leitung", is_staff=True, is_superuser=True)


def code_for(user, steps_ahead=0):
    """The app's code now (or a later step's: the one used in a step is not taken again)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def setup_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(client, username="leitung", url=LOGIN):
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def enrol(client, user):
    client.get(SETUP)
    response = client.post(SETUP, {"code": setup_code(user), "next": ADMIN})
    assert response.status_code == 200
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())


def back_after_enrolment(client, user, username="leitung"):
    """Enrol, log out, log in again with the password: the session now waits for a code."""
    log_in(client, username)
    codes = enrol(client, user)
    client.post(reverse("accounts:logout"))
    log_in(client, username)
    return codes


def test_staff_without_an_app_is_sent_to_enrolment_before_the_admin(client, staff):
    log_in(client, url=ADMIN_LOGIN + "?next=/verwaltung/")
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fverwaltung%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Zweiten Faktor einrichten" in html
    assert '<svg role="img"' in html and "<title>QR-Code" in html
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert "leitung" in html
    assert page["Cache-Control"].startswith("max-age=0")  # never cached


def test_unverified_staff_reaches_nothing_but_the_factor_and_log_out(client, staff):
    log_in(client)
    for path in [
        ADMIN,
        reverse("admin:quartier_user_changelist"),
        reverse("accounts:overview"),
        "/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_code_then_right_code_then_recovery_codes(client, staff):
    log_in(client)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Dieser Code stimmt nicht" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(ADMIN).status_code == 302

    response = client.post(SETUP, {"code": setup_code(staff), "next": ADMIN})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", html)
    assert len(codes) == 10 == len(set(codes))
    assert f'href="{ADMIN}"' in html
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(ADMIN).status_code == 200  # this session is verified


def test_log_in_again_asks_for_a_code(client, staff):
    log_in(client)
    enrol(client, staff)
    client.post(reverse("accounts:logout"))

    log_in(client, url=ADMIN_LOGIN)
    response = client.get(ADMIN)
    assert response["Location"] == f"{VERIFY}?next=%2Fverwaltung%2F"
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # no new app without the old one
    response = client.post(VERIFY, {"code": "123456", "next": ADMIN})
    assert "Dieser Code stimmt nicht" in response.content.decode()
    assert client.get(ADMIN).status_code == 302
    response = client.post(VERIFY, {"code": code_for(staff, steps_ahead=1), "next": ADMIN})
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_used_app_code_is_not_taken_again(client, staff):
    back_after_enrolment(client, staff)
    code = code_for(staff, steps_ahead=1)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    log_in(client)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Dieser Code stimmt nicht" in response.content.decode()


def test_recovery_code_works_once(client, staff):
    codes = back_after_enrolment(client, staff)
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " "), "next": ADMIN})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.post(reverse("accounts:logout"))

    log_in(client)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert "gilt nur ein einziges Mal" in response.content.decode()
    assert client.get(ADMIN).status_code == 302
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


@pytest.mark.parametrize("limits", [True, False])
def test_verification_is_throttled(client, staff, settings, limits):
    settings.RATELIMIT_ENABLED = limits  # off for load tests, but never for the second factor
    back_after_enrolment(client, staff)
    for number in range(5):
        response = client.post(VERIFY, {"code": f"{number:06d}"})
        assert "Dieser Code stimmt nicht" in response.content.decode()
    response = client.post(VERIFY, {"code": code_for(staff, steps_ahead=1)})
    assert "Zu viele falsche Codes" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_enrolment_is_throttled(client, staff):
    log_in(client)
    client.get(SETUP)
    for number in range(5):
        response = client.post(SETUP, {"code": f"{number:06d}"})
        assert "Dieser Code stimmt nicht" in response.content.decode()
    response = client.post(SETUP, {"code": setup_code(staff)})
    assert "Zu viele falsche Codes" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, staff):
    log_in(client)
    old = enrol(client, staff)
    response = client.post(reverse("accounts:otp-recovery-codes"))
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("accounts:logout"))
    log_in(client)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_recovery_codes_need_a_verified_session(client, staff):
    back_after_enrolment(client, staff)
    # the middleware sends the unverified session away before the view is reached
    response = client.post(reverse("accounts:otp-recovery-codes"))
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=staff).count() == 10


def test_a_new_app_replaces_the_old_one(client, staff):
    log_in(client)
    enrol(client, staff)
    old = TOTPDevice.objects.get(user=staff)
    page = client.get(SETUP).content.decode()
    assert "Neue Wiederherstellungscodes erzeugen" in page
    assert client.post(SETUP, {"code": setup_code(staff)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=staff)) != [old]
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, staff, target):
    back_after_enrolment(client, staff)
    response = client.post(VERIFY, {"code": code_for(staff, steps_ahead=1), "next": target})
    assert response["Location"] == ADMIN


def test_residents_are_unaffected(client):
    make_user("berta")
    log_in(client, "berta")
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get(SETUP).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_off_without_staff_2fa(client, staff, settings):
    settings.STAFF_2FA = False
    log_in(client, url=ADMIN_LOGIN)
    assert client.get(ADMIN).status_code == 200


def test_the_admin_site_itself_asks_for_the_factor(client, staff, settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("StaffSecondFactorMiddleware")
    ]
    log_in(client)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


def test_bad_input_is_a_message(client, staff):
    back_after_enrolment(client, staff)
    for code in ["", " ", "x" * 5000, "<script>", "١٢٣٤٥٦", "12345\x00"]:
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()


def test_the_demo_serves_without_the_second_factor(settings):
    settings.STAFF_2FA = True
    with mock.patch("quartier.management.commands.demo.call_command") as fake:
        call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert fake.call_args_list[-1].args[0] == "runserver"
    assert settings.STAFF_2FA is False


def test_enrolment_page_in_english(client, staff):
    log_in(client)
    html = client.get("/en/konto/zwei-faktor/").content.decode()
    assert "Set up the second factor" in html
    assert "Scan the QR code" in html
    assert "QR code for setting up the authenticator app" in html
    assert "Zweiten Faktor" not in html


def test_a_lost_app_is_deleted_in_the_admin_and_its_owner_enrols_again(client, staff):
    colleague = make_user("qm", is_staff=True)
    log_in(client, "qm")
    enrol(client, colleague)
    key = TOTPDevice.objects.get(user=colleague).key
    client.post(reverse("accounts:logout"))

    log_in(client)
    enrol(client, staff)
    changelist = client.get(reverse("admin:quartier_authenticatorapp_changelist"))
    assert changelist.status_code == 200
    assert "qm" in changelist.content.decode()
    app = TOTPDevice.objects.get(user=colleague)
    page = client.get(reverse("admin:quartier_authenticatorapp_change", args=[app.pk]))
    assert key not in page.content.decode()
    client.post(reverse("admin:quartier_authenticatorapp_delete", args=[app.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    client.post(reverse("accounts:logout"))

    log_in(client, "qm")
    assert client.get(ADMIN)["Location"].startswith(SETUP)
