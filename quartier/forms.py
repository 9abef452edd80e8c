from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.text import PlainTextFormMixin


class HoneypotMixin(PlainTextFormMixin, forms.Form):
    """A field people never see (hidden by CSS, labelled 'leave empty'); bots fill it in.
    Public forms use it, so their text fields also refuse control characters."""

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    honeypot_field = "website"

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Dieses Feld muss leer bleiben."))
        return ""
