from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def area_section_context(area, area_ids, request):
    from .models import Partner

    partners = Partner.objects.active().serving(area_ids).only("name", "slug", "kind")
    return {"area": area, "partners": list(partners.order_by("name"))}


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        """Register located models with the split hook (neighbourhoods.registry)."""
        from neighbourhoods.registry import register_area_section, register_located

        from .models import Partner

        register_located(Partner, area_field="area", point_field="point")
        register_area_section(
            "network",
            template_name="network/area_section.html",
            context=area_section_context,
            order=60,
        )
