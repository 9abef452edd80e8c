import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField, PointWidget
from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree
from quartier.text import PlainTextFormMixin

from .models import Measure, MeasureStatus


class MeasureFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Gebiet (mit Teilgebieten)"),
        queryset=Area.objects.current().without_geometry(),
        method="filter_area",
        empty_label=_("Alle Gebiete"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Stand"), choices=MeasureStatus.choices, empty_label=_("Jeder Stand")
    )

    class Meta:
        model = Measure
        fields = ["area", "status"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_id__in=area_tree().descendant_ids(value, with_successors=True))


class MeasureAdminForm(forms.ModelForm):
    location = PointField(label=_("Ort auf der Karte"), widget=PointWidget, required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "summary",
            "area",
            "location",
            "costs",
            "funding",
            "fund",
            "responsible_office",
            "responsible_partner",
            "ideas",
            "meetings",
            "fund_applications",
        ]


class MeasureUpdateForm(PlainTextFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=MeasureStatus.choices)
    progress = forms.IntegerField(label=_("Fortschritt in Prozent"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("Was ist passiert?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Geht an die Folgenden des Gebiets und die Unterstützenden der Beiträge."),
    )
