"""The office's side: answer a request through the signed link in its mail, or signed in with
one of the office's accounts (its list of requests)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from quartier.forms import add_service_errors

from .forms import OfficeAnswerForm
from .models import Forwarding
from .services import LinkExpired, forwarding_answer, forwarding_for_token, office_for_user


class AnswerPageMixin:
    """The request, the idea, and the answer form (or the answer once given)."""

    template_name = "participation/offices/answer.html"

    def get_forwarding(self):
        raise NotImplementedError

    def answer_by(self):
        return None

    def get(self, request, *args, **kwargs):
        forwarding = self.get_forwarding()
        if forwarding is None:
            return self.expired()
        return self.page(forwarding, OfficeAnswerForm())

    def post(self, request, *args, **kwargs):
        forwarding = self.get_forwarding()
        if forwarding is None:
            return self.expired()
        form = OfficeAnswerForm(request.POST)
        if forwarding.is_answered:
            messages.info(request, _("Diese Anfrage ist bereits beantwortet."))
            return redirect(request.path)
        if form.is_valid():
            try:
                forwarding_answer(
                    forwarding=forwarding,
                    text=form.cleaned_data["answer"],
                    name=form.cleaned_data["name"],
                    by=self.answer_by(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Danke! Ihre Antwort ist beim Quartiersteam angekommen."),
                )
                return redirect(request.path)
        return self.page(forwarding, form, status=400)

    def page(self, forwarding, form, status=200):
        return self.render_to_response(
            self.get_context_data(forwarding=forwarding, idea=forwarding.idea, form=form),
            status=status,
        )

    def expired(self):
        return self.render_to_response(self.get_context_data(expired=True), status=410)


class OfficeAnswerView(AnswerPageMixin, TemplateView):
    """The signed link is the only credential; a broken or withdrawn one is a 404, an old one
    a page that says so (410)."""

    def get_forwarding(self):
        try:
            return forwarding_for_token(self.kwargs["token"])
        except LinkExpired:
            return None
        except Forwarding.DoesNotExist:
            raise Http404 from None


class OfficeAccountMixin(LoginRequiredMixin):
    """Signed in with an account of an office; anyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not office_for_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeRequestListView(OfficeAccountMixin, TemplateView):
    template_name = "participation/offices/requests.html"

    def get_context_data(self, **kwargs):
        requests = (
            Forwarding.objects.for_office_user(self.request.user)
            .select_related("idea", "application", "survey", "office")
            .order_by("answered_at", "deadline", "pk")
        )
        return super().get_context_data(
            requests=requests, offices=office_for_user(self.request.user), **kwargs
        )


class OfficeRequestView(OfficeAccountMixin, AnswerPageMixin, TemplateView):
    def get_forwarding(self):
        return get_object_or_404(
            Forwarding.objects.for_office_user(self.request.user).select_related(
                "idea", "idea__area", "application__fund", "application__area", "survey", "office"
            ),
            pk=self.kwargs["pk"],
        )

    def answer_by(self):
        return self.request.user
