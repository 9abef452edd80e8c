"""Public pages of measures: the list with filters and a map, and a measure with its timeline."""

from django.db.models import Prefetch
from django.views.generic import DetailView
from django_filters.views import FilterView

from neighbourhoods.models import area_geometry
from participation.funds.models import FundApplication
from participation.ideas.models import Idea

from .forms import MeasureFilter
from .models import Measure, MeasureUpdate


def measures_geojson(measures):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": measure.location,
                "properties": {
                    "title": measure.title,
                    "url": measure.get_absolute_url(),
                    "summary": f"{measure.get_status_display()} · {measure.progress} %",
                },
            }
            for measure in measures
            if measure.location
        ],
    }


class MeasureListView(FilterView):
    filterset_class = MeasureFilter
    template_name = "participation/measures/list.html"
    context_object_name = "measures"
    paginate_by = 20

    def get_queryset(self):
        return Measure.objects.published().select_related("area").defer(*area_geometry("area"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["filter_query"] = params.urlencode()
        context["measures_geojson"] = measures_geojson(context["measures"])
        return context


class MeasureDetailView(DetailView):
    template_name = "participation/measures/detail.html"
    context_object_name = "measure"

    def get_queryset(self):
        return (
            Measure.objects.published()
            .select_related("area", "responsible_office", "responsible_partner", "fund")
            .defer(*area_geometry("area"))
            .prefetch_related(
                "milestones",
                Prefetch(
                    "fund_applications",
                    queryset=FundApplication.objects.filter(
                        status__in=FundApplication.COMMITTED
                    ).select_related("fund"),
                ),
                Prefetch("updates", queryset=MeasureUpdate.objects.order_by("-created_at", "-pk")),
                Prefetch("ideas", queryset=Idea.objects.public().only("pk", "title", "status")),
                "meetings",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["measure_geojson"] = measures_geojson([self.object])
        return context
