"""Writes with side effects for the portal's own pages."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from quartier.mail import absolute_url, queue_portal_mail
from quartier.models import BarrierReport


def barrier_report_submit(*, name="", email="", page_url, description, language=""):
    """Store a reported barrier and mail it to ACCESSIBILITY_CONTACT_EMAIL (with the commit)."""
    report = BarrierReport(
        name=name.strip(),
        email=email.strip(),
        page_url=page_url.strip(),
        description=description.strip(),
        language=language or translation.get_language() or "",
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        _mail_barrier_report(report)
    return report


def _mail_barrier_report(report):
    headers = {"Reply-To": report.email} if report.email else None
    queue_portal_mail(
        to=settings.ACCESSIBILITY_CONTACT_EMAIL,
        subject=_("Gemeldete Barriere"),
        template="mail/quartier/barrier_report.txt",
        context={
            "report": report,
            "admin_url": absolute_url(f"/verwaltung/quartier/barrierreport/{report.pk}/change/"),
        },
        language=settings.LANGUAGE_CODE,
        headers=headers,
    )
