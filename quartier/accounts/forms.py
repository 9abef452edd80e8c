from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartier.forms import EasyHelpMixin, HoneypotMixin, privacy_link_help
from quartier.mail import absolute_url, queue_portal_mail
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok
from quartier.text import PlainTextFormMixin

from . import second_factor
from .throttle import (
    LOGIN_BLOCKED_MESSAGE,
    login_attempt,
    login_succeeded,
    otp_attempt,
    otp_succeeded,
)

PASSWORD_MISMATCH = _("Die beiden Passwörter stimmen nicht überein.")


def _password_field(label, autocomplete, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignupForm(EasyHelpMixin, HoneypotMixin, forms.Form):
    easy_help = {
        "username": _("Denken Sie sich einen Namen aus. Andere sehen diesen Namen."),
        "email": _(
            "Wir schicken Ihnen eine E-Mail. Klicken Sie auf den Link in der E-Mail. "
            "Dann ist Ihr Konto fertig."
        ),
        "password1": _(
            "Denken Sie sich ein Passwort aus. Es muss mindestens 8 Zeichen lang sein. "
            "Nehmen Sie nicht nur Zahlen."
        ),
        "password2": _("Schreiben Sie das Passwort noch einmal."),
    }

    username = forms.CharField(
        label=_("Benutzername"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "Wird bei Ihren Beiträgen angezeigt. Höchstens 150 Zeichen: Buchstaben, Ziffern "
            "und . + - _"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie Ihr Konto bestätigen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = _password_field(
        _("Passwort"),
        "new-password",
        _("Mindestens 8 Zeichen, nicht nur Ziffern und kein häufig benutztes Passwort."),
    )
    password2 = _password_field(_("Passwort wiederholen"), "new-password")
    privacy = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzhinweise gelesen und bin einverstanden, dass meine "
            "Angaben für mein Konto gespeichert werden"
        ),
        label_suffix="",
        help_text=privacy_link_help(),
        error_messages={
            "required": _("Bitte stimmen Sie der Speicherung Ihrer Angaben zu."),
        },
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if "@" in username:
            # Log-in treats anything with @ as an e-mail address.
            raise ValidationError(_("Der Benutzername darf kein @ enthalten."))
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("Dieser Benutzername ist schon vergeben. Bitte wählen Sie einen anderen.")
            )
        return username

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORD_MISMATCH)
        elif password1:
            candidate = get_user_model()(
                username=cleaned.get("username", ""), email=cleaned.get("email", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        if not self.errors and not rate_limit_ok(
            self.request, "signup", limit=5, period=3600, keys=[cleaned.get("email")]
        ):
            raise ValidationError(RATE_LIMIT_MESSAGE)
        return cleaned


class ThrottledLoginMixin:
    """Log-in with user name or e-mail address, throttled per IP and per account name
    (`quartier.accounts.throttle`): the portal's and the admin's log-in count together."""

    def _account_username(self, name):
        if "@" in name:
            user = get_user_model().objects.filter(email__iexact=name).only("username").first()
            if user is not None:
                return user.username
        return name

    def clean(self):
        name = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if name is None or not password:
            return self.cleaned_data
        username = self._account_username(name)
        names = {name.lower(), username.lower()}
        if not login_attempt(self.request, *names):
            raise ValidationError(LOGIN_BLOCKED_MESSAGE, code="blocked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        login_succeeded(self.request, *names)
        return self.cleaned_data


class LoginForm(ThrottledLoginMixin, auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Benutzername oder E-Mail-Adresse"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = _password_field(_("Passwort"), "current-password")

    error_messages = {
        "invalid_login": _(
            "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht. Achten Sie auf Groß- "
            "und Kleinschreibung. Wenn Sie sich gerade registriert haben: Bitte bestätigen Sie "
            "zuerst Ihre E-Mail-Adresse über den Link in unserer E-Mail."
        ),
        "inactive": _("Dieses Konto ist nicht aktiv."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Benutzername oder E-Mail-Adresse")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's log-in (`/verwaltung/login/`), with the portal's throttle."""


class PasswordResetForm(HoneypotMixin, auth_forms.PasswordResetForm):
    """Django's reset form, throttled, with the same answer for every address; the mail
    carries a link on the portal's own SITE_URL (never the request's Host header)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.order_fields(["email", "website"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not rate_limit_ok(
            self.request, "password-reset", limit=5, period=3600, keys=[cleaned.get("email")]
        ):
            raise ValidationError(RATE_LIMIT_MESSAGE)
        return cleaned

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        queue_portal_mail(
            to=context["email"],
            subject=_("Neues Passwort festlegen"),
            template="mail/accounts/password_reset.txt",
            context={"username": context["user"].username, "reset_url": absolute_url(path)},
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1 = _password_field(
        _("Neues Passwort"),
        "new-password",
        _("Mindestens 8 Zeichen, nicht nur Ziffern und kein häufig benutztes Passwort."),
    )
    new_password2 = _password_field(_("Neues Passwort wiederholen"), "new-password")
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    old_password = _password_field(_("Bisheriges Passwort"), "current-password")
    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("Das bisherige Passwort stimmt nicht."),
    }
    field_order = ["old_password", "new_password1", "new_password2"]


class AccountDeleteForm(forms.Form):
    password = _password_field(
        _("Ihr Passwort"), "current-password", _("Zur Bestätigung, dass Sie es sind.")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Das Passwort stimmt nicht."))
        return password


OTP_BLOCKED_MESSAGE = _(
    "Zu viele falsche Codes. Bitte warten Sie 15 Minuten und versuchen Sie es dann noch einmal."
)


class SecondFactorForm(PlainTextFormMixin, forms.Form):
    """One code: six digits from the authenticator app, or (when `recovery` is allowed) one of
    the recovery codes. Throttled per account and IP; a right code verifies the session."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, request, device=None, **kwargs):
        self.request = request
        self.device = device  # the app being set up; None: log-in with any confirmed factor
        self.recovery_codes = None
        super().__init__(*args, **kwargs)
        if device is None:
            self.fields["code"].help_text = _(
                "Die sechs Ziffern, die Ihre Authenticator-App gerade anzeigt. Ohne Ihr "
                "Smartphone: einer Ihrer Wiederherstellungscodes."
            )
        else:
            self.fields["code"].label = _("Sechsstelliger Code aus der App")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = self.cleaned_data["code"]
        user = self.request.user
        if not otp_attempt(self.request, user):
            raise ValidationError(OTP_BLOCKED_MESSAGE, code="blocked")
        if self.device is not None:
            self.recovery_codes = second_factor.app_confirm(
                request=self.request, device=self.device, code=code
            )
            accepted = self.recovery_codes is not None
        else:
            accepted = second_factor.verify(request=self.request, code=code) is not None
        if not accepted:
            raise ValidationError(
                _(
                    "Dieser Code stimmt nicht. Geben Sie die sechs Ziffern ein, die die App "
                    "gerade anzeigt (sie wechseln alle 30 Sekunden), und prüfen Sie, ob die "
                    "Uhrzeit Ihres Smartphones stimmt."
                )
                if self.device is not None
                else _(
                    "Dieser Code stimmt nicht. Geben Sie die sechs Ziffern ein, die die App "
                    "gerade anzeigt (sie wechseln alle 30 Sekunden); ein "
                    "Wiederherstellungscode gilt nur ein einziges Mal."
                ),
                code="invalid",
            )
        otp_succeeded(self.request, user)
        return code
