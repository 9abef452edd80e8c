"""Resident accounts: sign-up, confirmation, log-in/out, password reset and change, and the
"Mein Konto" pages (contributions, data download, deletion). Only the account's owner ever
sees its pages: every view below works on `request.user`, never on an id from the URL."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from quartier.languages import remember_language

from . import forms, second_factor, services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm

    def form_valid(self, form):
        remember_language(form.get_user())  # the mails follow the language one logs in with
        return super().form_valid(form)


class SignupView(FormView):
    template_name = "accounts/signup.html"
    form_class = forms.SignupForm
    success_url = reverse_lazy("accounts:signup-done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:overview")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        try:
            services.account_register(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:  # e.g. the user name taken a moment ago
            form.add_error(None, error)
            return self.form_invalid(form)
        self.request.session["signup_email"] = form.cleaned_data["email"]
        return super().form_valid(form)


class SignupDoneView(TemplateView):
    template_name = "accounts/signup_done.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "email": self.request.session.get("signup_email"),
        }


class ConfirmView(TemplateView):
    """The link from the sign-up mail. Activates the account; a used, broken or expired link
    gets a page that says so."""

    template_name = "accounts/confirm.html"

    def get(self, request, *args, token, **kwargs):
        user = services.account_confirm(token=token)
        return self.render_to_response(self.get_context_data(confirmed_user=user))


class SignupCancelView(TemplateView):
    """The link from the mail about a second sign-up with the address of an account still
    waiting for confirmation: drop that account (POST), so the address is free again."""

    template_name = "accounts/signup_cancel.html"

    def get(self, request, *args, token, **kwargs):
        user = services.account_cancel_pending(token=token)
        return self.render_to_response(self.get_context_data(pending_user=user))

    def post(self, request, *args, token, **kwargs):
        user = services.account_cancel_pending(token=token, delete=True)
        return self.render_to_response(self.get_context_data(pending_user=user, dropped=True))


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:overview")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort ist geändert."))
        return super().form_valid(form)


@method_decorator(never_cache, name="dispatch")
class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/overview.html"


@method_decorator(never_cache, name="dispatch")
class ContributionsView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/contributions.html"

    def get_context_data(self, **kwargs):
        sections = [
            {**context, "html": render_to_string(section.template_name, context, self.request)}
            for section, context in services.account_contributions(user=self.request.user)
        ]
        return {**super().get_context_data(**kwargs), "sections": sections}


@method_decorator(never_cache, name="dispatch")
class ContributionsSectionView(LoginRequiredMixin, TemplateView):
    """All rows of one section of "Meine Beiträge", a page at a time (`?seite=`)."""

    template_name = "accounts/contributions_section.html"

    def get_context_data(self, **kwargs):
        found = services.account_contributions_page(
            user=self.request.user, slug=kwargs["slug"], page=self.request.GET.get("seite")
        )
        if found is None:
            raise Http404
        section, context = found
        return {
            **super().get_context_data(**kwargs),
            "section": context,
            "html": render_to_string(section.template_name, context, self.request),
        }


@method_decorator(never_cache, name="dispatch")
class DataExportView(LoginRequiredMixin, View):
    """All data about the signed-in account as a JSON download."""

    def get(self, request):
        data = services.account_export(user=request.user)
        filename = f"quartier-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    post = get


@method_decorator(never_cache, name="dispatch")
class AccountDeleteView(LoginRequiredMixin, FormView):
    template_name = "accounts/delete.html"
    form_class = forms.AccountDeleteForm
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        services.account_delete(user=self.request.user)
        logout(self.request)
        messages.success(
            self.request,
            _("Ihr Konto ist gelöscht. Ihre Beiträge bleiben ohne Ihren Namen erhalten."),
        )
        return super().form_valid(form)


def _with_query(path, request):
    return f"{path}?{request.GET.urlencode()}" if request.GET else path


@method_decorator(never_cache, name="dispatch")
class SecondFactorSetupView(LoginRequiredMixin, FormView):
    """Enrolment of an authenticator app for a staff account: QR code, the key in text, and a
    code to confirm; then the recovery codes, shown this once. An account that already has an
    app may set up a new one (a new phone) only from a verified session."""

    template_name = "accounts/otp_setup.html"
    form_class = forms.SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not second_factor.applies_to(request.user):
            raise PermissionDenied
        self.has_app = second_factor.has_app(request.user)
        if self.has_app and not second_factor.is_verified(request.user):
            return redirect(_with_query(reverse("accounts:otp-verify"), request))
        self.device = second_factor.app_device_for_setup(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request, "device": self.device}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "has_app": self.has_app,
            "qr_code": second_factor.qr_code_svg(
                self.device, _("QR-Code zum Einrichten der Authenticator-App")
            ),
            "secret": second_factor.secret_for_display(self.device),
            "account_name": self.request.user.get_username(),
            "next": second_factor.safe_next(self.request),
        }

    def form_valid(self, form):
        return render_recovery_codes(self.request, form.recovery_codes, first_time=True)


@method_decorator(never_cache, name="dispatch")
class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of a staff log-in: a code from the app or a recovery code."""

    template_name = "accounts/otp_verify.html"
    form_class = forms.SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
            not second_factor.applies_to(request.user) or second_factor.is_verified(request.user)
        ):
            return redirect(second_factor.safe_next(request))
        if request.user.is_authenticated and not second_factor.has_app(request.user):
            return redirect(_with_query(reverse("accounts:otp-setup"), request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": second_factor.safe_next(self.request)}

    def form_valid(self, form):
        return redirect(second_factor.safe_next(self.request))


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    """POST: replace the recovery codes with new ones and show them once (verified staff)."""

    http_method_names = ["post"]

    def post(self, request):
        if not second_factor.applies_to(request.user) or not second_factor.is_verified(
            request.user
        ):
            raise PermissionDenied
        codes = second_factor.recovery_codes_renew(user=request.user)
        return render_recovery_codes(request, codes, first_time=False)


def render_recovery_codes(request, codes, *, first_time):
    """The codes in the answer to the POST that made them: never stored in the session, never
    cached (both views are never_cache), shown this once."""
    return TemplateResponse(
        request,
        "accounts/otp_recovery_codes.html",
        {
            "codes": [second_factor.recovery_code_for_display(code) for code in codes],
            "first_time": first_time,
            "next": second_factor.safe_next(request),
        },
    )
