import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree

from .models import FieldOfWork, Partner, PartnerKind, TargetGroup


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="filter_text", max_length=100)
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=PartnerKind.choices, empty_label=_("alle Arten")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Gebiet"),
        queryset=Area.objects.current().without_geometry(),
        to_field_name="slug",
        method="filter_area",
        empty_label=_("alle Gebiete"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        queryset=FieldOfWork.objects.all(),
        to_field_name="slug",
        field_name="fields_of_work",
        empty_label=_("alle Handlungsfelder"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Zielgruppe"),
        queryset=TargetGroup.objects.all(),
        to_field_name="slug",
        field_name="target_groups",
        empty_label=_("alle Zielgruppen"),
    )

    class Meta:
        model = Partner
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_area(self, queryset, name, value):
        return queryset.serving(area_tree().descendant_ids(value, with_successors=True))
