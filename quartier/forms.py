from django import forms
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
