from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin
from quartier.models import BarrierReport


class BarrierReportForm(FormKeyMixin, HoneypotMixin, forms.Form):
    """Report a barrier: everything but the page and the description is optional."""

    page_url = forms.CharField(
        label=_("Auf welcher Seite?"),
        help_text=_("Die Adresse der Seite oder eine kurze Beschreibung, wo die Barriere ist."),
        max_length=BarrierReport._meta.get_field("page_url").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "url"}),
        error_messages={"required": _("Bitte geben Sie die Seite an.")},
    )
    description = forms.CharField(
        label=_("Was ist die Barriere?"),
        help_text=_("Beschreiben Sie bitte, was nicht funktioniert hat. Höchstens 5000 Zeichen."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte beschreiben Sie die Barriere.")},
    )
    name = forms.CharField(
        label=_("Ihr Name (freiwillig)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig)"),
        help_text=_("Nur wenn Sie eine Antwort möchten."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
