from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField, PointWidget
from neighbourhoods.models import Area
from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin, ModelMultipleChoiceField, privacy_link_help
from quartier.text import PlainTextFormMixin

from .models import (
    TEXT_MAX,
    Cooperation,
    FieldOfWork,
    Partner,
    PartnerKind,
    TargetGroup,
    http_url_validator,
)
from .services import cooperation_check_partners

URL_HELP = _("Zum Beispiel www.verein-musterstadt.de – ohne https:// ergänzen wir es.")


def website_field():
    """A web address field: `www.…` is accepted and stored as `https://www.…`. A plain text
    input (with the URL keyboard on phones), because browsers refuse `www.…` in
    `<input type="url">` before the form is even sent."""
    return forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[http_url_validator],
        help_text=URL_HELP,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )


def _duplicate_partner(name, *, exclude_pk=None):
    key = Partner.make_name_key(name)
    return Partner.objects.filter(name_key=key).exclude(pk=exclude_pk).exists()


class JoinRequestForm(FormKeyMixin, HoneypotMixin, forms.Form):
    organisation_name = forms.CharField(label=_("Name der Organisation"), max_length=160)
    kind = forms.ChoiceField(
        label=_("Art der Organisation"), choices=[("", "---------"), *PartnerKind.choices]
    )
    description = forms.CharField(
        label=_("Was macht Ihre Organisation?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Zum Beispiel Angebote, Zielgruppen und wo Sie aktiv sind."),
    )
    areas = ModelMultipleChoiceField(
        label=_("In welchen Gebieten sind Sie aktiv?"),
        queryset=Area.objects.current().without_geometry(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    homepage = website_field()
    contact_name = forms.CharField(label=_("Ihr Name"), max_length=120)
    contact_email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_("Wir nutzen sie nur, um Ihnen zu antworten. Sie wird nicht veröffentlicht."),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass die Quartierskoordination meine Angaben speichert, "
            "um die Anfrage zu bearbeiten."
        ),
        help_text=privacy_link_help(),
        error_messages={"required": _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu.")},
    )

    def clean_organisation_name(self):
        name = self.cleaned_data["organisation_name"].strip()
        if _duplicate_partner(name):
            raise forms.ValidationError(
                _("Eine Organisation mit diesem Namen gehört schon zum Netzwerk."),
                code="duplicate",
            )
        return name


class PartnerEntryForm(forms.ModelForm):
    """What a partner account may change on its public entry."""

    website = website_field()

    class Meta:
        model = Partner
        fields = [
            "description",
            "website",
            "email",
            "phone",
            "address",
            "fields_of_work",
            "target_groups",
        ]
        field_classes = {
            "fields_of_work": ModelMultipleChoiceField,
            "target_groups": ModelMultipleChoiceField,
        }
        widgets = {
            "fields_of_work": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_of_work"].queryset = FieldOfWork.objects.all()
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["description"].max_length = TEXT_MAX


class PartnerAdminForm(forms.ModelForm):
    point = PointField(
        label=_("Ort auf der Karte"),
        widget=PointWidget,
    )
    website = website_field()

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "areas",
            "fields_of_work",
            "target_groups",
            "address",
            "point",
            "website",
            "email",
            "phone",
            "active_since",
            "is_active",
        ]


class CooperationAdminForm(forms.ModelForm):
    class Meta:
        model = Cooperation
        fields = ["title", "kind", "partners", "since", "until", "text", "areas"]

    def clean(self):
        cleaned = super().clean()
        partners = cleaned.get("partners")
        if partners is not None:
            try:
                cooperation_check_partners(list(partners))
            except forms.ValidationError as error:
                self.add_error("partners", error.message_dict["partners"])
        return cleaned


class DeclineForm(PlainTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begründung (wird der Organisation gemailt)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
