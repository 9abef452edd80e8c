from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField
from neighbourhoods.geometry import point_lng_lat
from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree
from participation.topics.models import Topic
from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin, privacy_link_help
from quartier.languages import contribution_language_field
from quartier.text import PlainTextFormMixin, add_text_validators

from .attachments import MAX_FILES, MESSAGE_TOO_MANY, check_attachment
from .models import MAX_AMOUNT, ApplicantKind, Vote

COST_ROWS = 8

AMOUNT_ERRORS = {
    "invalid": _("Bitte einen Betrag in Euro angeben, z. B. 250,00."),
    "min_value": _("Der Betrag darf nicht negativ sein."),
    "max_value": _("Der Betrag ist zu groß (höchstens 1.000.000 €)."),
    "max_digits": _("Der Betrag ist zu groß (höchstens 1.000.000 €)."),
    "max_decimal_places": _("Bitte höchstens zwei Stellen nach dem Komma."),
    "max_whole_digits": _("Der Betrag ist zu groß (höchstens 1.000.000 €)."),
}


def amount_field(label, *, required=True, min_value=Decimal("0"), **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=MAX_AMOUNT,
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages=AMOUNT_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """PDFs and photos, each checked (`attachments.check_attachment`); returns CheckedFiles."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > MAX_FILES:
            raise ValidationError(MESSAGE_TOO_MANY)
        checked, errors = [], []
        for uploaded in files:
            try:
                checked.append(check_attachment(uploaded))
            except ValidationError as error:
                name = getattr(uploaded, "name", "")[:80]
                errors.extend(f"{name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class CostPlanMixin(forms.Form):
    """Up to COST_ROWS rows of item and amount (no JavaScript needed); the sum is checked by
    the service against requested amount + own contribution."""

    def add_cost_rows(self):
        for number in range(1, COST_ROWS + 1):
            label = forms.CharField(
                label=_("Posten %(n)d") % {"n": number}, required=False, max_length=160
            )
            add_text_validators(label, multiline=False)
            self.fields[f"cost_label_{number}"] = label
            self.fields[f"cost_amount_{number}"] = amount_field(
                _("Betrag %(n)d (€)") % {"n": number}, required=False, min_value=Decimal("0.01")
            )

    def cost_rows(self):
        return [
            (self[f"cost_label_{n}"], self[f"cost_amount_{n}"]) for n in range(1, COST_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        items = []
        for number in range(1, COST_ROWS + 1):
            label = cleaned.get(f"cost_label_{number}")
            amount = cleaned.get(f"cost_amount_{number}")
            if label and amount is None and f"cost_amount_{number}" not in self.errors:
                self.add_error(
                    f"cost_amount_{number}", _("Bitte einen Betrag für diesen Posten angeben.")
                )
            elif amount is not None and not label:
                self.add_error(
                    f"cost_label_{number}", _("Bitte sagen Sie, wofür dieser Betrag ist.")
                )
            elif label and amount is not None:
                items.append((label, amount))
        cleaned["cost_items"] = items
        return cleaned


class ApplicationForm(FormKeyMixin, CostPlanMixin, HoneypotMixin, forms.Form):
    area = forms.ModelChoiceField(
        label=_("Gebiet des Vorhabens"), queryset=Area.objects.none(), empty_label=None
    )
    location = PointField(label=_("Ort auf der Karte"))
    title = forms.CharField(label=_("Titel des Vorhabens"), max_length=160)
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was haben Sie vor, für wen, und was soll sich im Quartier verbessern?"),
    )
    language = contribution_language_field()
    starts_on = forms.DateField(
        label=_("Beginn des Vorhabens"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Bitte ein Datum angeben.")},
    )
    ends_on = forms.DateField(
        label=_("Ende des Vorhabens"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Bitte ein Datum angeben.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("– bitte wählen –"),
    )
    target_groups = forms.CharField(
        label=_("Zielgruppen"),
        max_length=255,
        required=False,
        help_text=_("z. B. Kinder, Ältere, Familien, Geflüchtete"),
    )
    applicant_kind = forms.ChoiceField(label=_("Sie beantragen als"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Ihr Name"), max_length=120)
    organisation = forms.CharField(
        label=_("Initiative / Einrichtung (falls zutreffend)"), max_length=160, required=False
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        error_messages={"invalid": _("Bitte eine gültige E-Mail-Adresse angeben.")},
    )
    attachments = AttachmentsField(
        label=_("Anhänge (freiwillig)"),
        required=False,
        help_text=_(
            "Angebote, Skizzen, Fotos: PDF (höchstens 10 MB, 30 Seiten) oder Fotos, "
            "bis zu 5 Dateien."
        ),
    )
    name_public = forms.BooleanField(
        label=_("Mein Name darf bei geförderten Projekten veröffentlicht werden."), required=False
    )
    truthful = forms.BooleanField(
        label=_(
            "Ich versichere, dass die Angaben stimmen und das Vorhaben noch nicht begonnen hat."
        ),
        error_messages={"required": _("Bitte bestätigen Sie Ihre Angaben.")},
    )
    privacy = forms.BooleanField(
        label=_("Ich bin mit der Verarbeitung meiner Angaben für diesen Antrag einverstanden."),
        help_text=privacy_link_help(),
        error_messages={
            "required": _("Ohne Ihr Einverständnis können wir den Antrag nicht bearbeiten.")
        },
    )

    def __init__(self, *args, fund, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.fields["requested_amount"] = amount_field(
            _("Beantragter Betrag (€)"),
            min_value=Decimal("0.01"),
            help_text=_("Höchstens %(max)s €.")
            % {"max": number_format(fund.max_per_application, 2, force_grouping=True)},
        )
        self.fields["own_contribution"] = amount_field(
            _("Eigenanteil (€)"),
            initial=Decimal("0"),
            help_text=_("Eigene Mittel, Spenden, andere Förderung."),
        )
        self.add_cost_rows()
        ids = self.area_ids = area_tree().descendant_ids(fund.area, with_successors=True)
        self.fields["location"].widget.attrs["id"] = "id_location"
        self.fields["area"].queryset = Area.objects.current().without_geometry().filter(pk__in=ids)
        self.fields["area"].initial = fund.area_id
        if user is not None and user.is_authenticated:
            self.fields["email"].initial = user.email
            self.fields["email"].disabled = True
        self.order_fields(
            [
                "area",
                "title",
                "description",
                "language",
                "starts_on",
                "ends_on",
                "topic",
                "target_groups",
                "applicant_kind",
                "applicant_name",
                "organisation",
                "email",
                "requested_amount",
                "own_contribution",
            ]
        )
        for name in list(self.fields):
            if name in ("attachments", "name_public", "truthful", "privacy", "website", "form_key"):
                self.fields[name] = self.fields.pop(name)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Das Ende muss am oder nach dem Beginn liegen."))
        point = cleaned.get("location")
        if point and area_id_for_point(*point_lng_lat(point)) not in self.area_ids:
            self.add_error("location", _("Dieser Ort liegt nicht im Gebiet dieses Fonds."))
        return cleaned

    def service_fields(self):
        data = self.cleaned_data
        names = [
            "area",
            "title",
            "description",
            "language",
            "starts_on",
            "ends_on",
            "topic",
            "target_groups",
            "applicant_kind",
            "applicant_name",
            "organisation",
            "email",
            "requested_amount",
            "own_contribution",
            "name_public",
            "location",
        ]
        return {name: data[name] for name in names}


class ReviseForm(CostPlanMixin, PlainTextFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Beschreibung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = AttachmentsField(label=_("Weitere Anhänge"), required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_amount"] = amount_field(
            _("Beantragter Betrag (€)"), min_value=Decimal("0.01")
        )
        self.fields["own_contribution"] = amount_field(_("Eigenanteil (€)"))
        self.add_cost_rows()
        if not self.is_bound:
            self.initial.update(
                description=application.description,
                requested_amount=application.requested_amount,
                own_contribution=application.own_contribution,
            )
            for number, item in enumerate(application.cost_items.all()[:COST_ROWS], start=1):
                self.initial[f"cost_label_{number}"] = item.label
                self.initial[f"cost_amount_{number}"] = item.amount
        self.fields["attachments"] = self.fields.pop("attachments")


class ProofForm(PlainTextFormMixin, forms.Form):
    report = forms.CharField(
        label=_("Kurzbericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Was ist passiert, wer war dabei, was hat es gebracht? Der Bericht wird veröffentlicht."
        ),
    )
    participants = forms.IntegerField(
        label=_("Zahl der Teilnehmenden"),
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": _("Bitte eine ganze Zahl angeben."),
            "min_value": _("Die Zahl darf nicht negativ sein."),
            "max_value": _("Die Zahl ist zu groß."),
        },
    )
    spent_amount = amount_field(_("Tatsächlich ausgegeben (€)"))
    attachments = AttachmentsField(
        label=_("Belege und Fotos"),
        required=True,
        help_text=_(
            "Quittungen, Rechnungen (PDF oder Foto), Fotos vom Vorhaben; bis zu 5 Dateien."
        ),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Ihre Stimme"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )
