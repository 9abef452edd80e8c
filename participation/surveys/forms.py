from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import BoundaryField, PointField
from neighbourhoods.geometry import boundary_shape
from participation.topics.models import Topic
from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin
from quartier.languages import contribution_language_field
from quartier.text import add_text_validators

from .lifeworlds import LifeworldFieldsMixin
from .models import QuestionKind, SurveyResponse, Tie

SCALE_CHOICES = [
    (5, _("5 – trifft voll zu")),
    (4, _("4")),
    (3, _("3")),
    (2, _("2")),
    (1, _("1 – trifft gar nicht zu")),
]
REQUIRED = _("Bitte beantworten Sie diese Frage.")
# A drawn area larger than this (in km², roughly the whole city and its surroundings) is no
# neighbourhood anyone means.
MAX_DRAWN_KM2 = 100


def field_name(question):
    return f"frage_{question.pk}"


def _km2(geometry):
    """The area of a lon/lat geometry in km², good enough at city scale."""
    import math

    shape = boundary_shape(geometry)
    lat = shape.centroid.y
    return shape.area * 111.32 * 111.32 * math.cos(math.radians(lat))


class DrawnAreaField(BoundaryField):
    def to_python(self, value):
        geometry = super().to_python(value)
        if geometry and _km2(geometry) > MAX_DRAWN_KM2:
            raise forms.ValidationError(
                _("Die gezeichnete Fläche ist zu groß. Bitte zeichnen Sie Ihr Gebiet enger."),
                code="too_large",
            )
        return geometry


def question_field(question):
    """The form field for one question; `field.question` keeps the question for the template."""
    common = {"label": question.text, "required": False, "help_text": question.help_text}
    kind = question.kind
    choices = {str(choice.pk): choice for choice in question.choices.all()}
    options = [(key, choice.text) for key, choice in choices.items()]
    if kind == QuestionKind.SINGLE:
        field = forms.TypedChoiceField(
            choices=options,
            coerce=choices.get,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    elif kind == QuestionKind.MULTIPLE:
        field = forms.TypedMultipleChoiceField(
            choices=options,
            coerce=choices.get,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    elif kind == QuestionKind.SCALE:
        field = forms.TypedChoiceField(
            choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect, **common
        )
    elif kind == QuestionKind.TEXT:
        field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    elif kind == QuestionKind.POINT:
        field = PointField(
            widget=forms.HiddenInput(attrs={"id": f"id_{field_name(question)}"}), **common
        )
    else:
        field = DrawnAreaField(**common)
    field.question = question
    return field


class SurveyForm(LifeworldFieldsMixin, FormKeyMixin, HoneypotMixin, forms.Form):
    """The questionnaire of one survey. A question with a condition counts only when the
    condition's choice was picked; otherwise its answer is dropped and it is never required
    (without JavaScript every question is shown, with the condition written beside it)."""

    area = forms.ModelChoiceField(
        label=_("Für welches Gebiet antworten Sie?"),
        queryset=None,
        empty_label=_("– bitte wählen –"),
        error_messages={"required": _("Bitte wählen Sie Ihr Gebiet.")},
    )

    def __init__(self, *args, survey, questions, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        self.fields["area"].queryset = areas
        area_ids = [area.pk for area in areas]
        if len(area_ids) == 1:
            self.fields["area"].initial = area_ids[0]
        for question in questions:
            field = question_field(question)
            if isinstance(field, forms.CharField):
                add_text_validators(field, multiline=True)
            self.fields[field_name(question)] = field
        if any(question.kind == QuestionKind.TEXT for question in questions):
            self.fields["language"] = contribution_language_field()
        order = ["area", *(field_name(q) for q in questions), "language", "website", "form_key"]
        self.order_fields(order)

    def question_fields(self):
        return [self[field_name(question)] for question in self.questions]

    def clean(self):
        cleaned = super().clean()
        picked = set()
        self.answers = []
        for question in self.questions:
            name = field_name(question)
            value = cleaned.get(name)
            condition = question.show_if_choice_id
            if condition and condition not in picked:
                cleaned[name] = None
                continue
            empty = value in (None, "", [])
            if empty:
                if question.required and name not in self.errors:
                    self.add_error(name, REQUIRED)
                continue
            if question.kind == QuestionKind.SINGLE:
                picked.add(value.pk)
            elif question.kind == QuestionKind.MULTIPLE:
                picked.update(choice.pk for choice in value)
            self.answers.append((question, value))
        return cleaned


class InterviewForm(SurveyForm):
    """The questionnaire as staff and volunteers enter a doorstep or street interview, with the
    closing questions; a contact only with the person's explicit consent."""

    channel = forms.ChoiceField(
        label=_("Wo fand das Gespräch statt?"),
        choices=[
            (SurveyResponse.Channel.DOORSTEP, SurveyResponse.Channel.DOORSTEP.label),
            (SurveyResponse.Channel.STREET, SurveyResponse.Channel.STREET.label),
            (SurveyResponse.Channel.PHONE, SurveyResponse.Channel.PHONE.label),
            (SurveyResponse.Channel.PAPER, SurveyResponse.Channel.PAPER.label),
        ],
        widget=forms.RadioSelect,
        initial=SurveyResponse.Channel.DOORSTEP,
    )
    would_help = forms.BooleanField(label=_("Würden Sie sich engagieren?"), required=False)
    interests = forms.CharField(label=_("Wobei?"), max_length=500, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    helper_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    helper_contact = forms.CharField(label=_("Telefon oder E-Mail"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_(
            "Die Person willigt ein, dass das Quartiersteam sie zum Mitmachen kontaktiert. "
            "Die Angaben werden nach Ablauf der Frist gelöscht."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label = _("Gebiet des Gesprächs")

    def clean(self):
        cleaned = super().clean()
        name, contact = cleaned.get("helper_name", ""), cleaned.get("helper_contact", "")
        self.helper = None
        if name or contact:
            if not cleaned.get("consent"):
                self.add_error(
                    "consent",
                    _("Ohne ausdrückliche Einwilligung dürfen wir keinen Kontakt speichern."),
                )
            if not (name and contact):
                self.add_error(
                    "helper_contact" if name else "helper_name",
                    _("Bitte Name und Telefon oder E-Mail angeben."),
                )
            if not cleaned.get("would_help"):
                self.add_error("would_help", _("Kontakt nur, wenn die Person mitmachen möchte."))
            self.helper = {
                "name": name,
                "contact": contact,
                "interests": cleaned.get("interests", "") or "-",
                "topics": cleaned.get("topics") or [],
            }
        return cleaned


class DrawingForm(FormKeyMixin, HoneypotMixin, forms.Form):
    boundary = DrawnAreaField(
        label=_("Ihr Viertel auf der Karte"),
        error_messages={"required": _("Bitte zeichnen Sie Ihr Viertel auf der Karte.")},
    )
    name = forms.CharField(label=_("Wie nennen Sie Ihr Viertel?"), max_length=100)
    ties = forms.MultipleChoiceField(
        label=_("Was verbindet Sie mit dem Viertel?"),
        choices=Tie.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    identifies_with = forms.CharField(
        label=_("Was macht Ihr Viertel für Sie aus? (freiwillig)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bitte keine Namen oder Adressen."),
    )
