from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField
from neighbourhoods.lookup import area_for_point
from neighbourhoods.models import Area
from participation.surveys.lifeworlds import LifeworldFieldsMixin
from participation.topics.models import Topic
from quartier.formkeys import FormKeyMixin
from quartier.forms import EasyHelpMixin, HoneypotMixin
from quartier.languages import contribution_language_field

SCORES = [
    (5, _("5 – sehr wohl")),
    (4, _("4 – wohl")),
    (3, _("3 – teils, teils")),
    (2, _("2 – eher unwohl")),
    (1, _("1 – gar nicht wohl")),
]


class MoodForm(LifeworldFieldsMixin, EasyHelpMixin, FormKeyMixin, HoneypotMixin, forms.Form):
    easy_help = {
        "score": _("Wie geht es Ihnen hier? 1 heißt: gar nicht gut. 5 heißt: sehr gut."),
        "area": _("Wählen Sie Ihr Quartier. Oder klicken Sie auf die Karte."),
        "aspect": _("Was ist Ihnen wichtig? Wählen Sie ein Thema. Das ist freiwillig."),
        "comment": _(
            "Sie können hier etwas schreiben. Das ist freiwillig. "
            "Bitte schreiben Sie keine Namen und keine Adressen."
        ),
    }

    score = forms.TypedChoiceField(
        label=_("Wie wohl fühlen Sie sich in Ihrem Quartier?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie einen Wert von 1 bis 5.")},
    )
    area = forms.ModelChoiceField(
        label=_("Ihr Quartier"),
        queryset=Area.objects.current().without_geometry(),
        required=False,
        empty_label=_("– bitte wählen –"),
    )
    point = PointField(
        label=_("Ort auf der Karte"),
        widget=forms.HiddenInput(attrs={"id": "id_point"}),
    )
    aspect = forms.ModelChoiceField(
        label=_("Worum geht es Ihnen vor allem? (freiwillig)"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("– kein bestimmtes Thema –"),
    )
    comment = forms.CharField(
        label=_("Möchten Sie etwas dazu sagen? (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kommentare erscheinen erst, nachdem das Quartiersteam sie gelesen hat. "
            "Bitte keine Namen oder Adressen."
        ),
    )

    language = contribution_language_field()

    field_order = [
        "score",
        "area",
        "point",
        "aspect",
        "comment",
        "language",
        "website",
        "form_key",
    ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("area") or "point" in self.errors:
            return cleaned
        point = cleaned.get("point")
        if not point:
            self.add_error("area", _("Bitte wählen Sie Ihr Quartier aus der Liste."))
            return cleaned
        area = area_for_point(*point["coordinates"])
        if area is None:
            self.add_error(
                "area",
                _(
                    "Der gewählte Punkt liegt in keinem unserer Quartiere. "
                    "Bitte wählen Sie aus der Liste."
                ),
            )
        cleaned["area"] = area
        return cleaned
