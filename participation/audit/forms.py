from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Area

from .selectors import LogFilter


class LogFilterForm(forms.Form):
    """The Protokoll's filters (GET): area, person, dates. Choices are the user's own areas."""

    gebiet = forms.ModelChoiceField(label=_("Gebiet"), queryset=None, required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    von = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, area_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].queryset = Area.objects.filter(pk__in=area_ids).order_by("name")
        self.fields["gebiet"].empty_label = _("alle meine Gebiete")
        self.fields["person"].queryset = (
            get_user_model().objects.filter(is_staff=True).order_by("username")
        )
        self.fields["person"].empty_label = _("alle")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("von") and cleaned.get("bis") and cleaned["von"] > cleaned["bis"]:
            self.add_error("bis", _("„bis“ liegt vor „von“."))
        return cleaned

    def log_filter(self):
        if not self.is_valid():
            return LogFilter()
        data = self.cleaned_data
        return LogFilter(
            area=data.get("gebiet"),
            actor=data.get("person"),
            date_from=data.get("von"),
            date_to=data.get("bis"),
        )
