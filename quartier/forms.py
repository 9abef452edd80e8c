from django import forms
from django.db import connection
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
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


class EasyHelpMixin:
    """Help in plain language ("Einfach erklärt") beside a field's help text, for whoever asks
    for it: `easy_help` maps field names to short, plain sentences; includes/form_fields.html
    shows each in a closed disclosure under its field (no JavaScript needed)."""

    easy_help = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.easy_help.items():
            if name in self.fields:
                self.fields[name].easy_help = text


def _privacy_link():
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("legal:datenschutz"),
        gettext("Datenschutzerklärung lesen (öffnet in einem neuen Tab)"),
    )


def privacy_link_help():
    """Help text for a consent checkbox: a link to the privacy statement, in the page's
    language. It opens in a new tab, so nothing typed into the form is lost. (Django's field
    template renders help texts unescaped; this one is built with format_html.)"""
    return lazy(_privacy_link, str)()


def add_service_errors(form, error, *, field=None):
    """Show a service's ValidationError on the form: messages for a field the form has at that
    field, the others (and an error without fields) at `field` or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        for item in errors:
            form.add_error(name if name in form.fields else None, item)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but a number beyond what the database's integer column holds (`a=9999…`) is
    an invalid choice like any unknown one — Django's own `__in` query would fail with it."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else None
        if model_field is None:
            model_field = self.queryset.model._meta.get_field(key)
        internal_type = model_field.get_internal_type()
        if internal_type not in connection.ops.integer_field_ranges:
            return super()._check_values(value)
        low, high = connection.ops.integer_field_range(internal_type)
        for item in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(item).strip())
            except ValueError:
                continue  # not a number: Django's own check names it
            if (low is not None and number < low) or (high is not None and number > high):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super()._check_values(value)
