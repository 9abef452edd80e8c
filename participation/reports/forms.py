import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Area

EARLIEST = datetime.date(2000, 1, 1)
MAX_DAYS = 366 * 10


class ReportForm(forms.Form):
    """The report's period and area (`gebiet`, a slug among the areas the user may see)."""

    von = forms.DateField(
        label=_("Von"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte ein Datum im Format JJJJ-MM-TT angeben.")},
    )
    bis = forms.DateField(
        label=_("Bis"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte ein Datum im Format JJJJ-MM-TT angeben.")},
    )
    gebiet = forms.ModelChoiceField(
        label=_("Gebiet"),
        queryset=Area.objects.none(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("Dieses Gebiet steht nicht zur Auswahl.")},
    )

    def __init__(self, *args, areas, all_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].queryset = areas
        self.fields["gebiet"].empty_label = all_label
        self.fields["gebiet"].label_from_instance = self._area_label

    @staticmethod
    def _area_label(area):
        if area.valid_until:
            return _("%(name)s (bis %(date)s)") % {
                "name": area.name,
                "date": area.valid_until.strftime("%d.%m.%Y"),
            }
        return area.name

    def clean(self):
        data = super().clean()
        start, end = data.get("von"), data.get("bis")
        for name in ("von", "bis"):
            day = data.get(name)
            if day and day < EARLIEST:
                self.add_error(name, _("Bitte ein Datum ab dem Jahr 2000 angeben."))
        if start and end:
            if end < start:
                self.add_error("bis", _("Das Ende darf nicht vor dem Anfang liegen."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("bis", _("Ein Bericht umfasst höchstens zehn Jahre."))
        return data
