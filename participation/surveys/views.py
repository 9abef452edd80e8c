import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, ListView

from neighbourhoods.permissions import is_area_staff, is_coordination
from participation.offices.models import Forwarding
from quartier import formkeys
from quartier.qr import qr_svg
from quartier.ratelimit import RATE_LIMIT_MESSAGE, rate_limit_ok

from .charts import bar_chart
from .exports import results_rows, results_xlsx
from .forms import InterviewForm, SurveyForm
from .lifeworlds import lifeworld_record
from .models import InterviewVolunteer, QuestionKind, Survey
from .selectors import (
    POINT_CELL_METRES,
    point_cells_geojson,
    survey_questions,
    survey_results,
)
from .services import ALREADY_ANSWERED, NOT_RUNNING, interview_create, response_create

COOKIE = "quartier_surveys"
COOKIE_SALT = "participation.surveys"
COOKIE_AGE = 60 * 60 * 24 * 400


def answered_surveys(request):
    """The survey ids this browser has answered, from a signed cookie."""
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        return set()
    return {item for item in value.split(",") if item.isdigit()}


def remember(request, survey, response):
    answered = sorted(answered_surveys(request) | {str(survey.pk)}, key=int)[-50:]
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


class SurveyListView(ListView):
    template_name = "participation/surveys/survey_list.html"
    context_object_name = "surveys"

    def get_queryset(self):
        return Survey.objects.published().prefetch_related("areas").order_by("-ends_on", "title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        surveys = list(context["surveys"])
        context["running"] = [survey for survey in surveys if survey.is_running()]
        context["finished"] = [survey for survey in surveys if not survey.is_running()]
        return context


class SurveyDetailView(FormView):
    """The questionnaire. One response per account, or per browser (a signed cookie) and, over
    the survey's whole run, at most `SURVEY_ANSWERS_PER_NETWORK` per client network."""

    template_name = "participation/surveys/survey_detail.html"
    form_class = SurveyForm

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(Survey.objects.published(), pk=kwargs["pk"])
        self.questions = survey_questions(self.survey)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # a printed questionnaire's QR code names the area: ?gebiet=<slug>
        slug = self.request.GET.get("gebiet", "")[:100]
        area = self.survey.areas.without_geometry().filter(slug=slug).first() if slug else None
        return {"area": area.pk} if area else {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            survey=self.survey,
            questions=self.questions,
            areas=self.survey.areas.without_geometry().order_by("name"),
        )
        return kwargs

    def may_interview(self):
        scope = interview_scope(self.request.user)
        return scope is not None and scope[0].filter(pk=self.survey.pk).exists()

    def already_answered(self):
        user = self.request.user
        if user.is_authenticated:
            return self.survey.responses.filter(user=user).exists()
        return str(self.survey.pk) in answered_surveys(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            survey=self.survey,
            running=self.survey.is_running(),
            answered=self.already_answered(),
            needs_account=not self.survey.allow_visitors and not self.request.user.is_authenticated,
            may_interview=self.may_interview(),
            with_map=any(q.kind in (QuestionKind.POINT, QuestionKind.AREA) for q in self.questions),
            with_draw=any(q.kind == QuestionKind.AREA for q in self.questions),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.survey.is_running():
            messages.error(request, NOT_RUNNING)
            return redirect(self.survey)
        if not self.survey.allow_visitors and not request.user.is_authenticated:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        request, survey = self.request, self.survey
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="survey", key=key):
            return remember(request, survey, replay)
        if self.already_answered():
            form.add_error(None, ALREADY_ANSWERED)
            return self.form_invalid(form)
        if not request.user.is_authenticated and not rate_limit_ok(
            request,
            f"survey-{survey.pk}",
            limit=settings.SURVEY_ANSWERS_PER_NETWORK,
            period=max((survey.ends_on - survey.starts_on).days + 1, 1) * 86400,
        ):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.form_invalid(form)

        def create():
            response_create(
                survey=survey,
                area=form.cleaned_data["area"],
                answers=form.answers,
                user=request.user,
                language=form.cleaned_data.get("language"),
            )
            lifeworld_record(area=form.cleaned_data["area"], choices=form.lifeworld_choices())
            return survey.get_absolute_url() + "?danke=1"

        try:
            outcome = formkeys.once(scope="survey", key=key, create=create)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        if outcome.replayed:
            return remember(request, survey, formkeys.already_sent(request, outcome.url))
        messages.success(request, _("Danke für Ihre Teilnahme!"))
        return remember(request, survey, redirect(outcome.url))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SurveyResultsView(DetailView):
    """Aggregated results, filterable by area; see `selectors` for the threshold."""

    template_name = "participation/surveys/survey_results.html"
    context_object_name = "survey"

    def get_queryset(self):
        return Survey.objects.published()

    def chosen_area(self, survey):
        slug = self.request.GET.get("gebiet", "")[:100]
        if not slug:
            return None
        area = survey.areas.without_geometry().filter(slug=slug).first()
        if area is None:
            raise Http404
        return area

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = self.object
        results = survey_results(survey, area=self.chosen_area(survey))
        for index, result in enumerate(results.questions, start=1):
            if result.rows and result.answered:
                result.chart = bar_chart(
                    result, chart_id=f"chart-{index}", title=result.question.text
                )
            if result.cells:
                result.geojson = point_cells_geojson(result)
        context.update(
            results=results,
            with_map=any(result.cells for result in results.questions),
            cell_metres=POINT_CELL_METRES,
            office_statements=Forwarding.objects.published_for(survey=survey),
            may_export=is_area_staff(self.request.user),
        )
        return context


@require_GET
def survey_export(request, pk, fmt):
    """The results as CSV or XLSX, for area staff: aggregates only, no personal data, the same
    threshold as the page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_area_staff(request.user):
        raise PermissionDenied
    surveys = Survey.objects.all()
    if not is_coordination(request.user):
        surveys = surveys.managed_by(request.user)
    survey = get_object_or_404(surveys, pk=pk)
    results = survey_results(survey, with_texts=False)
    rows = results_rows(results)
    filename = f"umfrage-{survey.pk}"
    if fmt == "xlsx":
        response = HttpResponse(
            results_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def volunteer_area_ids(user):
    """The areas (with sub-areas and successors) an active volunteer enters interviews for."""
    from neighbourhoods.selectors import area_tree

    own = list(
        InterviewVolunteer.objects.filter(user=user, is_active=True).values_list("areas", flat=True)
    )
    own = [pk for pk in own if pk is not None]
    return area_tree().descendant_ids(own, with_successors=True) if own else set()


def interview_scope(user):
    """What `user` may enter interviews for: (surveys, area ids or None for all the survey's
    areas), or None. Area staff: the surveys of their areas (coordination: all). Volunteers
    (`InterviewVolunteer`): the surveys of their areas, for their areas (and sub-areas) only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if is_area_staff(user):
        surveys = Survey.objects.all()
        return (surveys if is_coordination(user) else surveys.managed_by(user)), None
    area_ids = volunteer_area_ids(user)
    if not area_ids:
        return None
    matching = Survey.objects.filter(areas__in=area_ids).values("pk")
    return Survey.objects.filter(pk__in=matching), area_ids


class InterviewView(SurveyDetailView):
    """Entering an interview (phone-friendly: one column, big targets): area staff and
    volunteers for their areas; the survey may also be outside its online period (interviews
    before or after). The interviewer is recorded."""

    template_name = "participation/surveys/interview.html"
    form_class = InterviewForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = interview_scope(request.user)
        if scope is None:
            raise PermissionDenied
        surveys, self.area_ids = scope
        self.survey = get_object_or_404(surveys, pk=kwargs["pk"])
        self.questions = survey_questions(self.survey)
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.area_ids is not None:
            kwargs["areas"] = kwargs["areas"].filter(pk__in=self.area_ids)
        return kwargs

    def already_answered(self):
        return False

    def post(self, request, *args, **kwargs):
        return FormView.post(self, request, *args, **kwargs)

    def form_valid(self, form):
        request, survey = self.request, self.survey
        key = form.cleaned_data["form_key"]
        if replay := formkeys.sent_before(request, scope="interview", key=key):
            return replay

        def create():
            interview_create(
                survey=survey,
                area=form.cleaned_data["area"],
                answers=form.answers,
                channel=form.cleaned_data["channel"],
                interviewer=request.user,
                helper=form.helper,
                language=form.cleaned_data.get("language"),
            )
            lifeworld_record(area=form.cleaned_data["area"], choices=form.lifeworld_choices())
            return reverse("participation:survey-interview", args=[survey.pk]) + "?gespeichert=1"

        try:
            outcome = formkeys.once(scope="interview", key=key, create=create)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        if outcome.replayed:
            return formkeys.already_sent(request, outcome.url)
        messages.success(request, _("Gespräch gespeichert. Das nächste kann beginnen."))
        return redirect(outcome.url)


class PrintableView(DetailView):
    """The questionnaire on paper, with a QR code to the online version."""

    template_name = "participation/surveys/printable.html"
    context_object_name = "survey"

    def get_queryset(self):
        return Survey.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # printed for one of its areas (?gebiet=<slug>, from the area's paper cards): the code
        # opens the questionnaire with that area chosen, and the area is named on the paper
        slug = self.request.GET.get("gebiet", "")[:100]
        area = self.object.areas.current().without_geometry().filter(slug=slug).first()
        path = self.object.get_absolute_url()
        url = self.request.build_absolute_uri(f"{path}?gebiet={area.slug}" if area else path)
        context.update(
            questions=survey_questions(self.object),
            area=area,
            online_url=url,
            qr_code=qr_svg(url, title=_("QR-Code zur Online-Umfrage")),
            return_address=settings.PAPER_RETURN_ADDRESS,
            scale=range(1, 6),
        )
        return context
