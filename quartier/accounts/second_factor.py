"""A second factor for staff: TOTP (an authenticator app) through django-otp, plus recovery codes.

With STAFF_2FA on (the default when DEBUG is off), a staff account's session counts only once
it is verified: after the password, `StaffSecondFactorMiddleware` sends it to the code page
(`accounts:otp-verify`), or to enrolment (`accounts:otp-setup`) while the account has no
confirmed authenticator app, and lets it reach nothing else but log-out. The admin site asks
the same question again (`quartier.admin_site`). Recovery codes are single-use; they are shown
once, when they are made.
"""

import base64
import re
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.qr import qr_svg

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery-codes"
APP_DEVICE_NAME = "authenticator-app"

# What a staff session may reach before its second factor: the factor's own pages, log-out.
OPEN_VIEWS = {
    "accounts:otp-setup",
    "accounts:otp-verify",
    "accounts:logout",
    "admin:logout",
}


def applies_to(user):
    """Whether `user` is one whose accounts the second factor protects: staff."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def required(user):
    return settings.STAFF_2FA and applies_to(user)


def is_verified(user):
    return bool(getattr(user, "is_verified", lambda: False)())


def satisfied(request):
    """False while the signed-in account needs a second factor this session has not given."""
    return not required(request.user) or is_verified(request.user)


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def safe_next(request, default=None):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("admin:index")


class StaffSecondFactorMiddleware:
    """Sends a staff session without its second factor to the code page or to enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if satisfied(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        target = "accounts:otp-verify" if has_app(request.user) else "accounts:otp-setup"
        next_url = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse(target) + query)


# --- enrolment ---------------------------------------------------------------------------


def app_device_for_setup(user):
    """The account's authenticator app being set up (unconfirmed; the same on every visit
    until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device):
    """The key as an app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device, title):
    """The otpauth:// link as an inline SVG QR code (no request leaves the portal)."""
    return qr_svg(device.config_url, title=title, border=4, svgclass="otp-qr", omitsize=True)


def _normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def app_confirm(*, request, device, code):
    """Confirm the app being set up with a code it shows. On success the app replaces any
    earlier one, the session counts as verified, and fresh recovery codes are returned."""
    token = _normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if not (token.isdigit() and device.verify_token(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        codes = recovery_codes_renew(user=request.user)
    _verified(request, device)
    return codes


def recovery_codes_renew(*, user):
    """Replace the account's recovery codes with new ones and return them (to show once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code():
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to mix up
    return "".join(secrets.choice(alphabet) for _ in range(10))


def recovery_code_for_display(code):
    return f"{code[:5]}-{code[5:]}"


# --- log-in --------------------------------------------------------------------------------


def verify(*, request, code):
    """Check a code from the app or a recovery code (used up by this) for the signed-in
    account; on success the session counts as verified. Returns the device or None."""
    token = _normalise(code)
    user = request.user
    if not token or len(token) > 32:
        return None
    model = TOTPDevice if (token.isdigit() and len(token) == 6) else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(token):
                break
        else:
            return None
    _verified(request, device)
    return device


def _verified(request, device):
    otp_login(request, device)
    request.session.cycle_key()  # a new session key for the raised privilege
