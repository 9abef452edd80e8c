"""Writes with side effects for the network: partners, cooperations, join requests."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import point_lng_lat
from neighbourhoods.lookup import area_id_for_point
from quartier.languages import current_language, mail_language
from quartier.mail import absolute_url, queue_portal_mail

from .models import ContactPerson, Cooperation, JoinRequest, Partner, PartnerChange

PUBLIC_ENTRY_FIELDS = ("description", "website", "email", "phone", "address")
PUBLIC_ENTRY_M2M = ("fields_of_work", "target_groups")
RESERVED_SLUGS = {"mitmachen", "bild"}  # paths under /netzwerk/


def coordination_email():
    """Where join requests go: NETWORK_CONTACT_EMAIL, else the portal's sender address."""
    return getattr(settings, "NETWORK_CONTACT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def _unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:160] or "partner"
    slug, number = base, 2
    while (
        slug in RESERVED_SLUGS or Partner.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    ):
        slug = f"{base}-{number}"
        number += 1
    return slug


def partner_locate(*, partner):
    """Set `partner.area` from its point (the deepest current area containing it)."""
    position = point_lng_lat(partner.point)
    partner.area_id = area_id_for_point(*position) if position else None
    return partner


@transaction.atomic
def partner_create(
    *,
    name,
    kind,
    description="",
    areas=(),
    fields_of_work=(),
    target_groups=(),
    address="",
    point=None,
    website="",
    email="",
    phone="",
    active_since=None,
    is_active=True,
):
    partner = Partner(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        description=description,
        address=address,
        point=point,
        website=website,
        email=email,
        phone=phone,
        active_since=active_since,
        is_active=is_active,
    )
    partner.full_clean()
    partner_locate(partner=partner)
    partner.save()
    partner.areas.set(areas)
    partner.fields_of_work.set(fields_of_work)
    partner.target_groups.set(target_groups)
    return partner


def _m2m_names(manager):
    return sorted(str(item) for item in manager.all())


@transaction.atomic
def partner_update_entry(*, partner, by, data):
    """A partner account edits the public entry; the change is logged in PartnerChange.

    `data` holds the new values of PUBLIC_ENTRY_FIELDS and PUBLIC_ENTRY_M2M (querysets/lists).
    Returns the PartnerChange, or None when nothing changed.
    """
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    changes = {}
    for field in PUBLIC_ENTRY_FIELDS:
        if field in data and getattr(partner, field) != data[field]:
            changes[field] = [getattr(partner, field), data[field]]
            setattr(partner, field, data[field])
    partner.full_clean()
    partner.save()
    for field in PUBLIC_ENTRY_M2M:
        if field in data:
            manager = getattr(partner, field)
            before = _m2m_names(manager)
            manager.set(data[field])
            after = _m2m_names(manager)
            if before != after:
                changes[field] = [before, after]
    if not changes:
        return None
    return PartnerChange.objects.create(partner=partner, changed_by=by, changes=changes)


def cooperation_check_partners(partners):
    if len({partner.pk for partner in partners}) < 2:
        raise ValidationError(
            {"partners": _("Eine Kooperation braucht mindestens zwei Partner.")},
            code="too_few_partners",
        )


@transaction.atomic
def cooperation_create(*, partners, kind, title, since=None, until=None, text="", areas=()):
    partners = list(partners)
    cooperation_check_partners(partners)
    cooperation = Cooperation(kind=kind, title=title, since=since, until=until, text=text)
    cooperation.full_clean()
    cooperation.save()
    cooperation.partners.set(partners)
    cooperation.areas.set(areas)
    return cooperation


DUPLICATE_REQUEST_MESSAGE = _(
    "Für eine Organisation mit diesem Namen liegt schon eine Anfrage vor. Die "
    "Quartierskoordination meldet sich bei Ihnen – eine zweite Anfrage ist nicht nötig."
)


def joinrequest_pending(organisation_name):
    """True if an open request for this name (ignoring case and spaces) is waiting."""
    key = Partner.make_name_key(organisation_name)
    names = JoinRequest.objects.filter(status=JoinRequest.Status.OPEN).values_list(
        "organisation_name", flat=True
    )
    return any(Partner.make_name_key(name) == key for name in names)


@transaction.atomic
def joinrequest_submit(
    *,
    organisation_name,
    kind,
    description,
    contact_name,
    contact_email,
    website="",
    areas=(),
    consent,
):
    if not consent:
        raise ValidationError(
            {"consent": _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu.")}
        )
    if joinrequest_pending(organisation_name):
        raise ValidationError({"organisation_name": DUPLICATE_REQUEST_MESSAGE}, code="pending")
    join_request = JoinRequest(
        organisation_name=organisation_name.strip(),
        kind=kind,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        website=website,
        consent=True,
        language=current_language(),
    )
    join_request.full_clean()
    join_request.save()
    join_request.areas.set(areas)
    context = {
        "join_request": join_request,
        "areas": list(join_request.areas.all()),
        "admin_url": absolute_url(f"/verwaltung/network/joinrequest/{join_request.pk}/change/"),
    }
    queue_portal_mail(
        to=coordination_email(),
        subject=_("Neue Anfrage zur Aufnahme ins Netzwerk"),
        template="mail/network/joinrequest_coordination.txt",
        context=context,
        language=settings.LANGUAGE_CODE,
    )
    queue_portal_mail(
        to=join_request.contact_email,
        subject=_("Ihre Anfrage an das Netzwerk ist angekommen"),
        template="mail/network/joinrequest_receipt.txt",
        context=context,
        language=mail_language(fallback=join_request.language),
    )
    return join_request


def _check_open(join_request):
    if join_request.status != JoinRequest.Status.OPEN:
        raise ValidationError(_("Diese Anfrage wurde schon bearbeitet."), code="not_open")


@transaction.atomic
def joinrequest_accept(*, join_request, by):
    """Create the Partner (with a private contact person) and tell the organisation."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _check_open(join_request)
    partner = partner_create(
        name=join_request.organisation_name,
        kind=join_request.kind,
        description=join_request.description,
        website=join_request.website,
        areas=list(join_request.areas.all()),
        active_since=timezone.localdate(),
    )
    ContactPerson.objects.create(
        partner=partner,
        name=join_request.contact_name,
        email=join_request.contact_email,
        public_consent_at=None,
    )
    join_request.status = JoinRequest.Status.ACCEPTED
    join_request.partner = partner
    join_request.handled_by = by
    join_request.handled_at = timezone.now()
    join_request.save()
    context = {
        "join_request": join_request,
        "partner": partner,
        "partner_url": absolute_url(partner.get_absolute_url()),
    }
    queue_portal_mail(
        to=join_request.contact_email,
        subject=_("Willkommen im Netzwerk"),
        template="mail/network/joinrequest_accepted.txt",
        context=context,
        language=mail_language(fallback=join_request.language),
    )
    return partner


@transaction.atomic
def joinrequest_decline(*, join_request, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("Bitte geben Sie eine Begründung an.")}, code="reason_required"
        )
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _check_open(join_request)
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decline_reason = reason
    join_request.handled_by = by
    join_request.handled_at = timezone.now()
    join_request.full_clean()
    join_request.save()
    queue_portal_mail(
        to=join_request.contact_email,
        subject=_("Ihre Anfrage an das Netzwerk"),
        template="mail/network/joinrequest_declined.txt",
        context={"join_request": join_request},
        language=mail_language(fallback=join_request.language),
    )
    return join_request
