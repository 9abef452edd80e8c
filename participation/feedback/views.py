from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from neighbourhoods.models import Area
from quartier import formkeys
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from .forms import MoodForm
from .models import current_month
from .services import ALREADY_ANSWERED, mood_answer_create

COOKIE = "quartier_mood"
COOKIE_SALT = "participation.mood"
COOKIE_AGE = 60 * 60 * 24 * 40


def _answered(request):
    """The (area id, month) pairs this browser already answered, from a signed cookie."""
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        return set()
    return {item for item in value.split(",") if item}


def _key(area):
    return f"{area.pk}:{current_month():%Y-%m}"


class MoodView(FormView):
    template_name = "participation/feedback/mood.html"
    form_class = MoodForm

    def get_initial(self):
        slug = self.request.GET.get("gebiet")
        area = Area.objects.current().without_geometry().filter(slug=slug).first() if slug else None
        return {"area": area} if area else {}

    def form_valid(self, form):
        request = self.request
        area = form.cleaned_data["area"]
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="mood", key=key):
            return self._remember(request, area, replay)
        if not request.user.is_authenticated and _key(area) in _answered(request):
            form.add_error(None, ALREADY_ANSWERED)
            return self.form_invalid(form)
        if not rate_limit_ok(request, "mood-answer", limit=10, period=3600):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)

        def create():
            mood_answer_create(
                area=area,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                aspect=form.cleaned_data["aspect"],
                user=request.user,
            )
            return reverse("participation:mood")

        try:
            outcome = formkeys.once(scope="mood", key=key, create=create)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if outcome.replayed:
            return self._remember(request, area, formkeys.already_sent(request, outcome.url))
        messages.success(request, _("Danke für Ihre Antwort!"))
        return self._remember(request, area, redirect(outcome.url))

    @staticmethod
    def _remember(request, area, response):
        """This browser answered for `area` this month (a signed cookie)."""
        answered = sorted(_answered(request) | {_key(area)})[-24:]
        response.set_signed_cookie(
            COOKIE,
            ",".join(answered),
            salt=COOKIE_SALT,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
