from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField
from neighbourhoods.models import Area
from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin

from .models import RADIUS_CHOICES, Frequency

RADIUS_LABELS = [(radius, _("%(n)s m") % {"n": radius}) for radius in RADIUS_CHOICES[:-2]] + [
    (radius, _("%(n)s km") % {"n": radius // 1000}) for radius in RADIUS_CHOICES[-2:]
]
AT_LEAST_ONE = _("Bitte wählen Sie mindestens eine Art von Neuigkeiten.")


class ChoicesMixin(forms.Form):
    """What to hear about and how often — shared by following and editing."""

    notify_ideas = forms.BooleanField(
        label=_("Neue veröffentlichte Ideen, Stärken und Schwächen"), required=False, initial=True
    )
    notify_answers = forms.BooleanField(
        label=_("Antworten des Quartiersteams und Änderungen des Stands"),
        required=False,
        initial=True,
    )
    notify_meetings = forms.BooleanField(label=_("Neue Treffen"), required=False, initial=True)
    frequency = forms.ChoiceField(
        label=_("Wie oft möchten Sie E-Mails bekommen?"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        if self.is_quick():
            cleaned.update(notify_ideas=True, notify_answers=True, notify_meetings=True)
            cleaned["frequency"] = cleaned.get("frequency") or Frequency.WEEKLY
        elif not any(cleaned.get(name) for name in self.option_names):
            self.add_error("notify_ideas", AT_LEAST_ONE)
        return cleaned

    option_names = ("notify_ideas", "notify_answers", "notify_meetings")

    def is_quick(self):
        return False

    def options(self):
        return {
            name: self.cleaned_data[name]
            for name in (*self.option_names, "frequency")
            if name in self.cleaned_data
        }


class EmailMixin(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Sie bekommen eine E-Mail mit einem Link, mit dem Sie bestätigen."),
    )

    def drop_email_for(self, user):
        if user is not None and user.is_authenticated:
            del self.fields["email"]


class FollowAreaForm(FormKeyMixin, HoneypotMixin, EmailMixin, ChoicesMixin):
    """Follow an area. `quick=1` (the one-click button on area pages) takes the defaults."""

    area = forms.ModelChoiceField(label=_("Gebiet"), queryset=Area.objects.none(), empty_label=None)
    quick = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["area", "notify_ideas", "notify_answers", "notify_meetings", "frequency"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.current().without_geometry().order_by("name")
        self.drop_email_for(user)
        if self.is_quick():
            self.fields["frequency"].required = False

    def is_quick(self):
        return self.is_bound and self.data.get("quick") in ("1", "true", "True", "on")


class FollowPlaceForm(FormKeyMixin, HoneypotMixin, EmailMixin, ChoicesMixin):
    """Follow a point with a radius; without a map, an area from the list instead."""

    location = PointField()
    radius_m = forms.TypedChoiceField(
        label=_("Umkreis"),
        choices=RADIUS_LABELS,
        coerce=int,
        initial=1000,
        error_messages={
            "invalid_choice": _("Bitte wählen Sie einen Umkreis zwischen 300 m und 3 km.")
        },
    )
    area = forms.ModelChoiceField(
        label=_("Oder ein Gebiet"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Nur nötig, wenn Sie keinen Ort auf der Karte gewählt haben."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.current().without_geometry().order_by("name")
        self.fields["location"].widget.attrs["id"] = "id_location"
        self.drop_email_for(user)

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("location")
            and not cleaned.get("area")
            and "location" not in self.errors
        ):
            self.add_error(
                "area", _("Bitte wählen Sie einen Ort auf der Karte oder ein Gebiet aus der Liste.")
            )
        return cleaned


class SubscriptionEditForm(ChoicesMixin):
    radius_m = FollowPlaceForm.base_fields["radius_m"]

    def __init__(self, *args, subscription, **kwargs):
        super().__init__(*args, **kwargs)
        if not subscription.is_place:
            del self.fields["radius_m"]
