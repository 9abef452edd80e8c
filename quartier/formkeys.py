"""One-time form keys: a form posted twice creates its row once.

A form that creates something (an idea, a comment, a registration, …) carries a hidden
`form_key` (`FormKeyMixin`): a random key, signed with its time of issue, new for every form
shown. The view runs the creation through `once()`, which claims the key in the same
transaction as the new row (the `FormKey` table has a UNIQUE key column) and records the URL the
post redirects to. A second post with the same key — a double click, a reload after a timeout,
ten posts at once — creates nothing and is redirected to that same URL:

    key = form.cleaned_data["form_key"]
    if replay := formkeys.sent_before(request, scope="idea", key=key):
        return replay                       # sent and done before: nothing to check or count
    …rate limit…
    outcome = formkeys.once(scope="idea", key=key, create=create)
    if outcome.replayed:
        return formkeys.already_sent(request, outcome.url)
    messages.success(…)
    return redirect(outcome.url)

While the first post is still running, the others wait for its transaction at the unique key
(the database serialises them) and then answer with its result; if it fails (a form error from
the service), its key is free again. Views ask `sent_before()` before counting a rate limit, so
a repeated post of a finished one never counts (one that arrives while the first is still
running does). The repeated post's answer says why nothing new appears (`ALREADY_SENT`).

Keys expire: one older than `MAX_AGE` is refused with a clear message (the form comes back with
everything typed and a new key), and `formkeys_purge()` (run by `manage.py purge_unconfirmed`)
deletes the rows older than that — a post after the purge can therefore never create a second
row. A post without any key (a script) is handled as before, without this protection; a forged
key is refused like an expired one.

Cached pages (quartier.pagecache) are stored with a placeholder instead of each key
(`hide_keys`), and every visitor served from the cache gets fresh keys (`fill_keys`), so no two
visitors ever share one.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "form_key"
MAX_AGE = timedelta(days=3)
SALT = "quartier.formkeys"
MAX_LENGTH = 120  # a signed key is about 70 characters

ALREADY_SENT = _(
    "Sie hatten dieses Formular schon abgeschickt. Es ist nur einmal gespeichert worden."
)
EXPIRED = _(
    "Das Formular war zu lange geöffnet oder ist nicht mehr gültig. Bitte schicken Sie es "
    "noch einmal ab – Ihre Eingaben sind noch da."
)

_signer = signing.TimestampSigner(salt=SALT)
_RANDOM = re.compile(r"[A-Za-z0-9_-]{20,40}")


def issue():
    """A new signed key for a form being shown."""
    return _signer.sign(secrets.token_urlsafe(18))


def unsign(value):
    """The random part of a signed key; ValidationError when forged, malformed or expired."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        raise forms.ValidationError(EXPIRED, code="form_key")
    try:
        key = _signer.unsign(value, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise forms.ValidationError(EXPIRED, code="form_key") from None
    if not _RANDOM.fullmatch(key):
        raise forms.ValidationError(EXPIRED, code="form_key")
    return key


class FormKeyField(forms.Field):
    """The hidden key. Cleans to its random part, "" when none was posted, or None when it is
    unusable (FormKeyMixin then puts the message above the form)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", issue)  # a callable: a new key each time a form is shown
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        """A form shown again keeps the posted key (nothing was created with it), unless it is
        unusable: then the form gets a new one, so sending it again works."""
        try:
            unsign(data)
            return data
        except forms.ValidationError:
            return issue()

    def clean(self, value):
        if not value:
            return ""
        try:
            return unsign(value)
        except forms.ValidationError:
            return None


class FormKeyMixin(forms.Form):
    """Add to a form whose post creates something; the view then creates through `once()`."""

    form_key = FormKeyField()

    def clean(self):
        cleaned = super().clean()
        if "form_key" in cleaned and cleaned["form_key"] is None:
            self.add_error(None, forms.ValidationError(EXPIRED, code="form_key"))
        return cleaned


@dataclass(frozen=True)
class Outcome:
    url: str
    replayed: bool


def first_url(*, scope, key):
    """The URL a post with this (used) key was redirected to, or None."""
    from quartier.models import FormKey

    if not key:
        return None
    return FormKey.objects.filter(scope=scope, key=key).values_list("result_url", flat=True).first()


def already_sent(request, url):
    """The answer to a repeated post: the first post's redirect, and why nothing new appears."""
    messages.info(request, ALREADY_SENT)
    return redirect(url)


def sent_before(request, *, scope, key):
    """`already_sent()` when a post with this key is done already, else None."""
    url = first_url(scope=scope, key=key)
    return already_sent(request, url) if url else None


def once(*, scope, key, create):
    """Run `create()` — which writes and returns the URL to redirect to — at most once per key.

    The key is claimed in the same transaction as what `create()` writes: if `create()` raises,
    nothing is kept and the key is free again. A post whose key is claimed already (also by a
    post still running: the database makes it wait for that one) runs nothing and gets the
    first post's URL (`Outcome.replayed`).
    """
    from quartier.models import FormKey

    if not key:
        return Outcome(url=create(), replayed=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormKey.objects.create(scope=scope, key=key)
        except IntegrityError:
            return Outcome(url=first_url(scope=scope, key=key) or "", replayed=True)
        url = create()
        FormKey.objects.filter(scope=scope, key=key).update(result_url=url)
    return Outcome(url=url, replayed=False)


def formkeys_purge(*, now=None, dry_run=False):
    """Delete the keys older than MAX_AGE (their forms are refused by then). Returns how many."""
    from quartier.models import FormKey

    stale = FormKey.objects.filter(created_at__lt=(now or timezone.now()) - MAX_AGE)
    if dry_run:
        return stale.count()
    return stale.delete()[0]


# --- the page cache ---------------------------------------------------------------------------

PLACEHOLDER = b"__quartier_form_key__"
_INPUT = re.compile(rb'(name="' + FIELD_NAME.encode() + rb'" value=")([^"]*)(")')


def hide_keys(content):
    """A page to be cached, with a placeholder instead of each form key."""
    return _INPUT.sub(rb"\1" + PLACEHOLDER + rb"\3", content)


def fill_keys(content):
    """A cached page for one visitor: a new key in place of each placeholder."""
    if PLACEHOLDER not in content:
        return content
    return re.sub(re.escape(PLACEHOLDER), lambda _match: issue().encode(), content)
