from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.text import PlainTextFormMixin

from ..models import http_url_validator


class PartnerEventForm(PlainTextFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=160)
    starts_at = forms.DateTimeField(
        label=_("Beginn"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ende"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Ort"), max_length=255, required=False)
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data


class CalendarFeedForm(PlainTextFormMixin, forms.Form):
    url = forms.URLField(
        label=_("Adresse Ihres Kalenders (iCalendar, .ics)"),
        max_length=500,
        validators=[http_url_validator],
        assume_scheme="https",
        help_text=_(
            "Die Adresse zum Abonnieren, die Ihr Kalenderprogramm anzeigt. Nach der Freigabe "
            "liest das Portal den Kalender regelmäßig ein."
        ),
    )
