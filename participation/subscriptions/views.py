"""Following areas and places; "Meine Benachrichtigungen"; confirm, manage, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView

from neighbourhoods.models import Area, area_geometry
from quartier import formkeys
from quartier.forms import add_service_errors
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from . import services
from .forms import FollowAreaForm, FollowPlaceForm, SubscriptionEditForm
from .models import Subscription


class FollowMixin:
    """Shared by the area and the place form: rate limit for visitors, call the service once
    per form shown (quartier.formkeys)."""

    rate_action = "subscription-create"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def subscribe(self, form, **target):
        """Follow `target`: the redirect to answer with, or None with errors on the form."""
        request = self.request
        user = request.user
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="follow", key=key):
            return replay
        email = form.cleaned_data.get("email", "")
        if not user.is_authenticated and not rate_limit_ok(
            request, self.rate_action, limit=10, period=3600, keys=[email]
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return None
        created = []

        def create():
            created.append(
                services.subscription_create(user=user, email=email, **target, **form.options())
            )
            return self.done_url(created[0])

        try:
            outcome = formkeys.once(scope="follow", key=key, create=create)
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        if outcome.replayed:
            return formkeys.already_sent(request, outcome.url)
        if user.is_authenticated:
            messages.success(
                request, _("Sie folgen jetzt „%(target)s“.") % {"target": created[0].target_label}
            )
        return redirect(outcome.url)

    def done_url(self, subscription):
        if self.request.user.is_authenticated:
            if subscription.area_id and self.request.POST.get("quick"):
                return subscription.area.get_absolute_url()
            return reverse("participation:subscription-list")
        return reverse("participation:subscription-sent")


class FollowAreaView(FollowMixin, FormView):
    """`/benachrichtigungen/neu/?area=<slug>` and the target of the "Folgen" button."""

    template_name = "participation/subscriptions/follow_area.html"
    form_class = FollowAreaForm

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("area")
        if slug:
            area = Area.objects.current().without_geometry().filter(slug=slug).first()
            if area is not None:
                initial["area"] = area
        return initial

    def form_valid(self, form):
        return self.subscribe(form, area=form.cleaned_data["area"]) or self.form_invalid(form)


class FollowPlaceView(FollowMixin, FormView):
    template_name = "participation/subscriptions/follow_place.html"
    form_class = FollowPlaceForm

    def form_valid(self, form):
        data = form.cleaned_data
        if data.get("location"):
            target = {"location": data["location"], "radius_m": data["radius_m"]}
        else:
            target = {"area": data["area"]}
        return self.subscribe(form, **target) or self.form_invalid(form)


class SubscriptionSentView(TemplateView):
    template_name = "participation/subscriptions/sent.html"


class SubscriptionListView(LoginRequiredMixin, ListView):
    """Meine Benachrichtigungen: the account's subscriptions (a fixed number of queries)."""

    template_name = "participation/subscriptions/list.html"
    context_object_name = "subscriptions"

    def get_queryset(self):
        return Subscription.objects.of_user(self.request.user).for_list()


class SubscriptionEditView(LoginRequiredMixin, FormView):
    template_name = "participation/subscriptions/edit.html"
    form_class = SubscriptionEditForm

    def get_subscription(self):
        return get_object_or_404(
            Subscription.objects.of_user(self.request.user)
            .select_related("area")
            .defer(*area_geometry("area")),
            pk=self.kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.subscription = self.get_subscription()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "subscription": self.subscription}

    def get_initial(self):
        sub = self.subscription
        return {
            "notify_ideas": sub.notify_ideas,
            "notify_answers": sub.notify_answers,
            "notify_meetings": sub.notify_meetings,
            "frequency": sub.frequency,
            "radius_m": sub.radius_m,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscription=self.subscription, **kwargs)

    def form_valid(self, form):
        try:
            services.subscription_update(
                subscription=self.subscription,
                radius_m=form.cleaned_data.get("radius_m"),
                **form.options(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Ihre Änderungen sind gespeichert."))
        return redirect(self.success_url())

    def success_url(self):
        return reverse("participation:subscription-list")


class SubscriptionDeleteView(LoginRequiredMixin, View):
    """GET asks, POST deletes; only the account's own subscriptions (else 404)."""

    def get_subscription(self):
        return get_object_or_404(
            Subscription.objects.of_user(self.request.user)
            .select_related("area")
            .defer(*area_geometry("area")),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        return render(
            request,
            "participation/subscriptions/delete.html",
            {"subscription": self.get_subscription()},
        )

    def post(self, request, pk):
        services.subscription_delete(subscription=self.get_subscription())
        messages.success(request, _("Die Benachrichtigung ist gelöscht."))
        return redirect("participation:subscription-list")


class SubscriptionConfirmView(View):
    """The double opt-in link: GET shows a button (mail scanners open links), POST confirms."""

    template_name = "participation/subscriptions/confirm.html"

    def get(self, request, token):
        subscription = services.subscription_peek_confirm(token=token)
        return render(
            request,
            self.template_name,
            {"subscription": subscription, "confirmed": False},
            status=200 if subscription else 404,
        )

    def post(self, request, token):
        subscription = services.subscription_confirm(token=token)
        if subscription is None:
            return render(request, self.template_name, {"subscription": None}, status=404)
        return render(
            request,
            self.template_name,
            {
                "subscription": subscription,
                "confirmed": True,
                "manage_url": services.manage_url(subscription),
            },
        )


class SubscriptionManageView(SubscriptionEditView):
    """A visitor edits or ends their subscription through the signed link in every mail."""

    template_name = "participation/subscriptions/manage.html"

    def get_subscription(self):
        subscription = services.subscription_for_manage_token(self.kwargs["token"])
        if subscription is None:
            raise Http404
        return subscription

    def dispatch(self, request, *args, **kwargs):
        self.subscription = self.get_subscription()
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unsubscribe_path=reverse(
                "participation:subscription-unsubscribe",
                kwargs={"token": self.subscription.token},
            ),
            **kwargs,
        )

    def success_url(self):
        return self.request.path


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """RFC 8058 one-click unsubscribe: mail programs POST `List-Unsubscribe=One-Click`
    without a CSRF token (the unguessable token in the URL is the authorisation; ending a
    subscription is all it can do). GET shows a page with a button."""

    template_name = "participation/subscriptions/unsubscribe.html"

    def get(self, request, token):
        subscription = (
            Subscription.objects.select_related("area")
            .defer(*area_geometry("area"))
            .filter(token=token)
            .first()
        )
        return render(request, self.template_name, {"subscription": subscription, "done": False})

    def post(self, request, token):
        services.subscription_unsubscribe(token=token)
        return render(request, self.template_name, {"subscription": None, "done": True})


unsubscribe = UnsubscribeView.as_view()
unsubscribe.csrf_exempt_reason = (
    "RFC 8058 one-click unsubscribe: mail programs POST without a CSRF token; the random "
    "token in the URL authorises it, and all it can do is end that one subscription."
)
