import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree
from participation.topics.models import Topic
from quartier.languages import contribution_language_choices

from .models import PUBLIC_STATUSES, IdeaKind, IdeaStatus

SORTS = {
    "new": ("-created_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
    "discussed": ("-comment_count", "-created_at", "-pk"),
}


class IdeaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="filter_text", max_length=200)
    area = django_filters.ModelChoiceFilter(
        label=_("Gebiet"),
        queryset=Area.objects.without_geometry(),
        method="filter_area",
        empty_label=_("Alle Gebiete"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Thema"), queryset=Topic.objects.all(), empty_label=_("Alle Themen")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=IdeaKind.choices, empty_label=_("Alle Arten")
    )
    status = django_filters.ChoiceFilter(
        label=_("Stand"),
        choices=[(value, IdeaStatus(value).label) for value in PUBLIC_STATUSES],
        empty_label=_("Jeder Stand"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Sprache des Beitrags"), choices=[], empty_label=_("Alle Sprachen")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=[
            ("new", _("Neueste zuerst")),
            ("supported", _("Meiste Unterstützung")),
            ("discussed", _("Meist diskutiert")),
        ],
        method="filter_sort",
        empty_label=None,
        widget=forms.Select,
    )

    class Meta:
        model = None
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["area"].queryset = Area.objects.current().without_geometry().order_by("name")
        self.filters["language"].extra["choices"] = contribution_language_choices()

    # Behind the "Filter" disclosure of the list and the map; the search field stays in view.
    DISCLOSED = ("area", "topic", "kind", "status", "language", "sort")

    @property
    def active_count(self):
        """How many of the disclosed filters are set (a sort other than the default counts)."""
        data = self.data or {}
        chosen = [name for name in self.DISCLOSED if data.get(name) not in (None, "", "new")]
        return len(chosen)

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_area(self, queryset, name, value):
        return queryset.in_areas(area_tree().descendant_ids(value, with_successors=True))

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        return queryset.order_by(*SORTS.get(sort or "new", SORTS["new"]))

    @staticmethod
    def unfiltered(queryset):
        """What an unbound filter's `qs` is, without building one (django-filter deep-copies
        every filter for each FilterSet)."""
        return queryset.order_by(*SORTS["new"])
