from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartier.forms import HoneypotMixin
from quartier.mail import absolute_url, queue_portal_mail
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from .throttle import LOGIN_BLOCKED_MESSAGE, login_blocked, login_failed, login_succeeded

PASSWORD_MISMATCH = _("Die beiden Passwörter stimmen nicht überein.")


def _password_field(label, autocomplete, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignupForm(HoneypotMixin, forms.Form):
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


class LoginForm(auth_forms.AuthenticationForm):
    """Log-in with user name or e-mail address, throttled per IP and per account name."""

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
        "blocked": LOGIN_BLOCKED_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Benutzername oder E-Mail-Adresse")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254

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
        if login_blocked(self.request, *names):
            raise ValidationError(self.error_messages["blocked"], code="blocked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            login_failed(self.request, *names)
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.confirm_login_allowed(self.user_cache)
        login_succeeded(self.request, *names)
        return self.cleaned_data


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
