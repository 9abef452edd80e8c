from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView

from neighbourhoods.geojson_io import area_feature, feature_collection
from neighbourhoods.models import Area
from quartier import formkeys, fragments
from quartier.formkeys import issue
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from ..surveys.lifeworlds import lifeworld_record
from .charts import mood_chart
from .forms import MoodForm
from .models import MoodAnswer, current_month, min_answers
from .selectors import Period, mood_picture, mood_result
from .services import ALREADY_ANSWERED, mood_answer_create

COOKIE = "quartier_mood"
# what the form's selects and questions offer: areas, topics, the Lebenswelten questions
FORM_SCOPES = [
    "app:neighbourhoods",
    "model:participation.topic",
    "model:participation.lifeworldquestion",
    "model:participation.lifeworldchoice",
]
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


# Map colours of a quarter's current average (darker = people feel better); the figure itself
# is always written beside it, so colour is never the only carrier of the value.
MAP_BANDS = [(2.5, "#9ec5dc"), (3.5, "#4a90b8"), (4.25, "#1d5b79"), (5.01, "#0b3550")]
MAP_TOO_FEW = "#8895a0"


def _map_colour(average):
    if average is None:
        return MAP_TOO_FEW
    return next(colour for limit, colour in MAP_BANDS if average < limit)


def mood_map(picture):
    """The quarters as GeoJSON, coloured by this quarter-year's average, for the map."""
    features = []
    for row in picture["rows"]:
        area, figure = row["area"], row["now"]
        if not area.boundary:
            continue
        feature = area_feature(area, url=area.get_absolute_url())
        if figure.average is None:
            summary = _("zu wenige Antworten")
        else:
            summary = _("Durchschnitt %(average)s von 5 (%(count)s Antworten)") % {
                "average": floatformat(figure.average, 1),
                "count": figure.count,
            }
        feature["properties"].update(
            colour=_map_colour(figure.average), fillOpacity=0.55, summary=summary
        )
        features.append(feature)
    return feature_collection(features)


class MoodView(FormView):
    """The question, and what the answers say: the current picture per quarter (table, chart,
    map); right after answering, the chosen area's and the city's figures first."""

    template_name = "participation/feedback/mood.html"
    form_class = MoodForm

    @cached_property
    def _chosen_area(self):
        slug = self.request.GET.get("gebiet", "")[:100]
        return Area.objects.current().without_geometry().filter(slug=slug).first() if slug else None

    def chosen_area(self):
        return self._chosen_area

    def get_initial(self):
        area = self.chosen_area()
        return {"area": area} if area else {}

    def get_context_data(self, **kwargs):
        request = self.request
        if request.method == "GET" and "form" not in kwargs:
            # the form is built only when its fields are not kept (see below)
            kwargs["form"] = SimpleLazyObject(self.get_form)
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["picture_html"] = fragments.cached(
            f"mood-picture:{Period.current()}:{min_answers()}",
            [fragments.model_scope(MoodAnswer), fragments.app_scope("neighbourhoods")],
            lambda: self.render_picture(),
        )
        if request.method == "GET":
            # An unbound form is the same for everyone (the one-time key aside): its fields
            # are kept per chosen area and language, under what its selects offer.
            initial = self.get_initial().get("area")
            context["form_key_html"] = forms.HiddenInput().render(formkeys.FIELD_NAME, issue())
            context["form_fields_html"] = fragments.cached(
                f"mood-form:{initial.pk if initial else ''}",
                FORM_SCOPES,
                lambda: render_to_string(
                    "participation/feedback/_mood_fields.html", {"form": form}, request
                ),
            )
            if request.GET.get("beantwortet"):
                area = self.chosen_area()
                context["result"] = mood_result(area) if area else None
        return context

    def render_picture(self):
        picture = mood_picture()
        return render_to_string(
            "participation/feedback/_picture.html",
            {
                "picture": picture,
                "mood_chart": mood_chart(picture),
                "mood_geojson": mood_map(picture),
                "min_answers": min_answers(),
            },
            self.request,
        )

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
                language=form.cleaned_data["language"],
                aspect=form.cleaned_data["aspect"],
                user=request.user,
            )
            lifeworld_record(area=area, choices=form.lifeworld_choices())
            query = urlencode({"gebiet": area.slug, "beantwortet": 1})
            return f"{reverse('participation:mood')}?{query}#ihr-ergebnis"

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
