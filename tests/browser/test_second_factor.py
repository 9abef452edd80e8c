"""A staff member sets up the second factor in a real browser, and logs in with it.

With SCREENSHOT_DIR set, the enrolment page is also saved as desktop and 375 px screenshots.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-und-lang-genug"


def app_code(steps_ahead=0):
    device = TOTPDevice.objects.get()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def screenshot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_enrol_and_log_in_with_the_second_factor(page, live_server, axe_check, settings):
    settings.STAFF_2FA = True
    make_user("leitung", is_staff=True, is_superuser=True)

    page.goto(live_server.url + "/verwaltung/")
    page.locator("#id_username").fill("leitung")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/konto/zwei-faktor/?next=%2Fverwaltung%2F")
    assert page.get_by_role("heading", name="Zweiten Faktor einrichten", level=1).is_visible()
    assert page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App").is_visible()
    secret = page.locator(".otp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret)
    axe_check(page)
    screenshot(page, "otp-setup-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "otp-setup-375")
    axe_check(page)
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_label("Sechsstelliger Code aus der App").fill("000000")
    page.get_by_role("button", name="Bestätigen").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_text("Dieser Code stimmt nicht").first.is_visible()
    axe_check(page)
    screenshot(page, "otp-setup-error")

    device = TOTPDevice.objects.get()
    totp = TOTP(device.bin_key)
    totp.time = time.time()
    page.get_by_label("Sechsstelliger Code aus der App").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Bestätigen").click()
    assert page.get_by_role("heading", name="Ihre Wiederherstellungscodes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    axe_check(page)
    screenshot(page, "otp-recovery-codes")
    page.get_by_role("link", name="Ich habe die Codes aufbewahrt – weiter").click()
    page.wait_for_url("**/verwaltung/")
    assert page.get_by_role("heading", name="Übersicht").is_visible()

    page.locator("#logout-form button").click()
    page.goto(live_server.url + "/konto/anmelden/?next=/verwaltung/")
    page.locator("#id_username").fill("leitung")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/konto/zwei-faktor/pruefen/?next=%2Fverwaltung%2F")
    axe_check(page)
    screenshot(page, "otp-verify")
    page.get_by_label("Code").fill(app_code(steps_ahead=1))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/verwaltung/")
    assert page.get_by_role("heading", name="Übersicht").is_visible()
