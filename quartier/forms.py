from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, labelled 'leave empty'); bots fill it in."""

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


def add_service_errors(form, error, *, field=None):
    """Show a service's ValidationError on the form: messages for a field the form has at that
    field, the others (and an error without fields) at `field` or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        for item in errors:
            form.add_error(name if name in form.fields else None, item)
