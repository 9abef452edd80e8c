"""What funds plug into other apps; called once from `ParticipationConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from neighbourhoods.registry import register_area_section, register_inbox_row, register_located
from quartier.personal_data import register_personal_data

from . import inbox, personal_data, sections
from .models import FundApplication


def register():
    from participation.reports.build import register_report_section

    from .report import funds_section

    register_report_section("funds", funds_section)
    register_located(FundApplication, area_field="area", point_field="location")
    register_area_section(
        "funds",
        template_name="participation/funds/_area_funds.html",
        context=sections.area_funds_context,
        order=40,
        # funds of areas above and the money on them; "open" moves on with the date
        cache_scopes=(
            "model:participation.fund",
            "model:participation.fundapplication",
            "model:participation.fundtranche",
            "model:participation.payment",
            "app:neighbourhoods",
        ),
        cache_seconds=60,
        area_scoped=False,
    )
    register_personal_data("funds", export=personal_data.export, anonymise=personal_data.anonymise)
    rows = [
        ("funds-check", _("Fondsanträge zu prüfen"), inbox.to_check, inbox.to_check_link),
        ("funds-decide", _("Fondsanträge zu entscheiden"), inbox.to_decide, inbox.to_decide_link),
        ("funds-pay", _("Bewilligte Anträge auszuzahlen"), inbox.to_pay, inbox.to_pay_link),
        ("funds-proofs", _("Verwendungsnachweise zu prüfen"), inbox.proofs, inbox.proofs_link),
    ]
    for order, (key, label, waiting, link) in enumerate(rows, start=70):
        register_inbox_row(key, label=label, waiting=waiting, link=link, order=order)
