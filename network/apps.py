from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def area_section_context(area, area_ids, request):
    from .models import Partner

    partners = Partner.objects.active().serving(area_ids).only("name", "slug", "kind")
    return {"area": area, "partners": list(partners.order_by("name"))}


def export_personal_data(user):
    from .models import ContactPerson, PartnerChange

    contacts = ContactPerson.objects.filter(user=user).select_related("partner")
    changes = PartnerChange.objects.filter(changed_by=user).select_related("partner")
    return {
        "contact_persons": [
            {
                "partner": contact.partner.name,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
                "public_consent_at": contact.public_consent_at.isoformat()
                if contact.public_consent_at
                else None,
            }
            for contact in contacts
        ],
        "partner_changes": [
            {
                "partner": change.partner.name,
                "changed_at": change.changed_at.isoformat(),
                "fields": sorted(change.changes),
            }
            for change in changes
        ],
    }


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        """Register located models with the split hook (neighbourhoods.registry)."""
        from neighbourhoods.registry import register_area_section, register_located
        from quartier.personal_data import register_personal_data

        from .models import Partner

        register_located(Partner, area_field="area", point_field="point")
        register_area_section(
            "network",
            template_name="network/area_section.html",
            context=area_section_context,
            order=60,
        )
        # Deleting an account unlinks its contact persons (SET_NULL); nothing else to anonymise.
        register_personal_data("network", export=export_personal_data)
