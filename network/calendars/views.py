"""A partner account posts an event (moderated) or registers its calendar feed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from quartier.forms import add_service_errors

from ..models import Partner
from ..permissions import may_edit_partner_entry
from .forms import CalendarFeedForm, PartnerEventForm
from .services import calendar_feed_register, partner_event_submit


class PartnerAccountMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partner = get_object_or_404(Partner.objects.active(), slug=kwargs["slug"])
        if not may_edit_partner_entry(request.user, self.partner):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.partner, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PartnerEventCreateView(PartnerAccountMixin, FormView):
    form_class = PartnerEventForm
    template_name = "network/calendars/event_form.html"

    def form_valid(self, form):
        try:
            partner_event_submit(partner=self.partner, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Danke! Der Termin erscheint, sobald das Quartiersteam ihn freigegeben hat."),
        )
        return redirect(self.partner.get_absolute_url())


class CalendarFeedCreateView(PartnerAccountMixin, FormView):
    form_class = CalendarFeedForm
    template_name = "network/calendars/feed_form.html"

    def form_valid(self, form):
        try:
            calendar_feed_register(
                partner=self.partner, by=self.request.user, url=form.cleaned_data["url"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Danke! Nach der Freigabe liest das Portal Ihren Kalender regelmäßig ein."),
        )
        return redirect(self.partner.get_absolute_url())
