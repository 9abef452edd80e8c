"""Writes for resident accounts: sign-up with e-mail confirmation, deletion, the data export.

Sign-up never tells anyone whether an e-mail address already has an account: the form's answer
is always the same, and the mail goes to the address's owner, who alone learns what happened.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from quartier.languages import current_language
from quartier.mail import absolute_url, queue_portal_mail
from quartier.personal_data import (
    OVERVIEW_ROWS,
    PAGE_ROWS,
    contributions_section,
    contributions_sections,
    count_many,
    providers,
)

CONFIRM_SALT = "quartier.accounts.confirm"
CANCEL_SALT = "quartier.accounts.cancel"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def _state(user):
    """Changes as soon as the account is confirmed, its e-mail or password changes."""
    value = f"{user.pk}|{user.is_active}|{user.email}|{user.password}|{user.last_login}"
    return salted_hmac(CONFIRM_SALT, value).hexdigest()[:24]


def account_confirmation_token(*, user):
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=CONFIRM_SALT, compress=True)


def account_cancel_token(*, user):
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=CANCEL_SALT, compress=True)


def _pending(user):
    return not user.is_active and user.last_login is None and not user.is_staff


def _send_confirmation(user):
    token = account_confirmation_token(user=user)
    queue_portal_mail(
        to=user.email,
        subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
        template="mail/accounts/signup_confirm.txt",
        context={
            "username": user.username,
            "confirm_url": absolute_url(reverse("accounts:confirm", args=[token])),
        },
    )


def _send_pending_again(user):
    """Someone signed up again with the address of an account still waiting for confirmation:
    its owner gets the link again, and one to drop that sign-up and start afresh."""
    queue_portal_mail(
        to=user.email,
        subject=_("Erneute Registrierung mit Ihrer E-Mail-Adresse"),
        template="mail/accounts/signup_pending_again.txt",
        context={
            "username": user.username,
            "confirm_url": absolute_url(
                reverse("accounts:confirm", args=[account_confirmation_token(user=user)])
            ),
            "cancel_url": absolute_url(
                reverse("accounts:signup-cancel", args=[account_cancel_token(user=user)])
            ),
            "reset_url": absolute_url(reverse("accounts:password-reset")),
        },
    )


def _send_existing(user):
    queue_portal_mail(
        to=user.email,
        subject=_("Sie haben bereits ein Konto"),
        template="mail/accounts/signup_existing.txt",
        context={
            "username": user.username,
            "login_url": absolute_url(reverse("accounts:login")),
            "reset_url": absolute_url(reverse("accounts:password-reset")),
        },
    )


def _tell_owner(user):
    if _pending(user):
        _send_pending_again(user)
    else:
        _send_existing(user)


def account_register(*, username, email, password):
    """Create an inactive account and mail it a confirmation link (valid 7 days).

    When `email` already has an account, nothing is created or changed, and only the
    address's owner learns of it by mail: an account waiting for confirmation gets its link
    again (plus one to drop it and sign up afresh), a confirmed one a hint how to log in.
    Every path hashes the password once and sends one mail, so neither the answer nor its
    time tells the person at the form whether the address is registered.
    Returns the new account, or None.
    """
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the work a new account's password costs, thrown away
        _tell_owner(existing)
        return None
    try:
        with transaction.atomic():
            user = User(
                username=username, email=email, is_active=False, language=current_language()
            )
            user.set_password(password)
            user.full_clean()
            user.save()
    except IntegrityError:
        # A parallel sign-up took the address a moment ago.
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            _tell_owner(existing)
        return None
    _send_confirmation(user)
    return user


def _pending_from(token, salt):
    """The account a signed link names while it still waits for confirmation, else None."""
    try:
        payload = signing.loads(token, salt=salt, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user = get_user_model().objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or not _pending(user):
        return None
    if not constant_time_compare(str(payload.get("s", "")), _state(user)):
        return None
    return user


def account_cancel_pending(*, token, delete=False):
    """The link from the "registered again" mail: the account still waiting for confirmation
    that it names (or None), deleted when `delete` is true so the address is free again."""
    with transaction.atomic():
        user = _pending_from(token, CANCEL_SALT)
        if user is not None and delete:
            user.delete()
    return user


def account_confirm(*, token):
    """Activate the account a confirmation link names. Returns it, or None when the link is
    broken, older than 7 days or already used."""
    with transaction.atomic():
        user = _pending_from(token, CONFIRM_SALT)
        if user is None:
            return None
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def account_contributions(*, user):
    """What the account brought in and what became of it: [(section, context)] from every
    app's "Meine Beiträge" sections (quartier.personal_data), in order; a section whose
    context is None or counts 0 is left out. A section with `items` shows its newest
    OVERVIEW_ROWS; the numbers of all of them come from one query."""
    sections = contributions_sections()
    listed = [section for section in sections if section.items is not None]
    items = {section: section.items(user) for section in listed}
    counts = dict(zip(listed, count_many(list(items.values())), strict=True))
    result = []
    for section in sections:
        if section.items is None:
            context = section.context(user)
        elif counts[section]:
            rows = list(items[section][:OVERVIEW_ROWS])
            context = {**section.context(user, rows), "count": counts[section]}
            if counts[section] > len(rows):
                context["more_url"] = reverse(
                    "accounts:contributions-section", kwargs={"slug": section.slug}
                )
        else:
            context = None
        if context is not None and context.get("count", 1):
            result.append((section, context))
    return result


def account_contributions_page(*, user, slug, page):
    """(section, context) of one page of PAGE_ROWS rows of the section with its own pages
    under `slug` (the last page for a number past it), or None when there is no such
    section."""
    section = contributions_section(slug)
    if section is None:
        return None
    page_obj = Paginator(section.items(user), PAGE_ROWS).get_page(page)
    context = section.context(user, list(page_obj.object_list))
    return section, {**context, "count": page_obj.paginator.count, "page_obj": page_obj}


def account_export(*, user):
    """All the portal knows about the account, as JSON-serialisable data."""
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "exported_at": timezone.now(),
        "data": {provider.key: provider.export(user) for provider in providers()},
    }


def account_delete(*, user):
    """Anonymise what the account contributed (every app's provider), then delete it."""
    with transaction.atomic():
        for provider in providers():
            if provider.anonymise is not None:
                provider.anonymise(user)
        user.delete()


def accounts_purge_unconfirmed(*, older_than=None, dry_run=False):
    """Delete sign-ups never confirmed within the link's lifetime. Returns how many."""
    cutoff = timezone.now() - (older_than or timedelta(seconds=CONFIRM_MAX_AGE))
    stale = get_user_model().objects.filter(
        is_active=False, is_staff=False, last_login__isnull=True, date_joined__lt=cutoff
    )
    if dry_run:
        return stale.count()
    count, _detail = stale.delete()
    return count
