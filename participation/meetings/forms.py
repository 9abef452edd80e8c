import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField, PointWidget
from neighbourhoods.lookup import area_for_point
from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree
from quartier.formkeys import FormKeyMixin
from quartier.forms import HoneypotMixin

from .models import MAX_PEOPLE_PER_REGISTRATION, Meeting
from .services import meeting_validate_new


class RegistrationForm(FormKeyMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Ihr Name"), max_length=120)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Dorthin schicken wir die Bestätigung und den Link zum Abmelden."),
        error_messages={"invalid": _("Bitte eine gültige E-Mail-Adresse angeben.")},
    )
    people = forms.IntegerField(
        label=_("Anzahl Personen"),
        min_value=1,
        max_value=MAX_PEOPLE_PER_REGISTRATION,
        initial=1,
        help_text=lazy(
            lambda: (
                gettext("Höchstens %(n)s Personen pro Anmeldung.")
                % {"n": MAX_PEOPLE_PER_REGISTRATION}
            ),
            str,
        )(),
        error_messages={
            "min_value": _("Bitte mindestens eine Person angeben."),
            "max_value": _("Höchstens %(limit_value)s Personen pro Anmeldung."),
            "invalid": _("Bitte eine ganze Zahl angeben."),
        },
    )
    note = forms.CharField(
        label=_("Hinweis (freiwillig)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. Unterstützungsbedarf oder die Sprache, in der Sie sprechen möchten."),
    )

    field_order = ["name", "email", "people", "note", "website", "form_key"]


class MeetingFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Gebiet (mit Teilgebieten)"),
        queryset=Area.objects.current().without_geometry(),
        method="filter_area",
        empty_label=_("Alle Gebiete"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Meeting.Kind.choices, empty_label=_("Alle Arten")
    )

    class Meta:
        model = Meeting
        fields = ["area", "kind"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_id__in=area_tree().descendant_ids(value, with_successors=True))


class MeetingAdminForm(forms.ModelForm):
    location = PointField(
        label=_("Punkt auf der Karte"),
        widget=PointWidget,
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "text",
            "area",
            "kind",
            "organiser_name",
            "status",
            "address",
            "location",
            "starts_at",
            "ends_at",
            "capacity",
            "step_free",
            "hearing_loop",
            "languages",
            "accessibility_note",
            "minutes",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            try:
                meeting_validate_new(
                    starts_at=cleaned.get("starts_at"), ends_at=cleaned.get("ends_at")
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        self._check_point_in_area(cleaned)
        return cleaned

    def _check_point_in_area(self, cleaned):
        """The split hook moves meetings by their point, so the point must lie in the area."""
        area, point = cleaned.get("area"), cleaned.get("location")
        if not area or not point or "location" in self.errors:
            return
        found = area_for_point(*point["coordinates"])
        if found is not None and found.pk not in area_tree().descendant_ids(
            area, with_successors=True
        ):
            self.add_error(
                "location",
                _("Der Punkt liegt nicht in %(area)s, sondern in %(found)s.")
                % {"area": area.name, "found": found.name},
            )
