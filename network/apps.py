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


def open_join_requests(area_ids):
    """Join requests waiting for coordination (not per area): {None: (count, oldest)}."""
    from django.db.models import Count, Min

    from .models import JoinRequest

    totals = JoinRequest.objects.filter(status=JoinRequest.Status.OPEN).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    return {None: (totals["count"], totals["since"])}


def open_join_requests_link(area_id):
    from django.urls import reverse

    return reverse("admin:network_joinrequest_changelist") + "?status__exact=open"


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        """Register located models with the split hook (neighbourhoods.registry)."""
        from neighbourhoods.registry import (
            register_area_section,
            register_inbox_row,
            register_located,
        )
        from quartier.personal_data import register_personal_data

        from .models import Partner
        from .permissions import may_handle_join_requests

        register_located(Partner, area_field="area", point_field="point")
        register_area_section(
            "network",
            template_name="network/area_section.html",
            context=area_section_context,
            order=60,
            cache_scopes=("app:network", "app:neighbourhoods"),
            area_scoped=False,  # the partners serving the areas: rows of the network only
        )
        # Deleting an account unlinks its contact persons (SET_NULL); nothing else to anonymise.
        register_personal_data("network", export=export_personal_data)
        register_inbox_row(
            "join-requests",
            label=_("Aufnahmeanfragen ins Netzwerk"),
            waiting=open_join_requests,
            link=open_join_requests_link,
            visible=may_handle_join_requests,
            order=70,
        )
        from quartier.jobs import Every, periodic

        from .calendars.services import feeds_import

        periodic("partner-calendars", Every(3 * 3600), feeds_import)
