"""Log-in throttling: failed attempts counted in the shared cache per IP and per account name.

Only failures count. The answer when blocked is the same whether or not the account exists,
so the throttle tells a guesser nothing about which names are real.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from quartier.ratelimit import client_network

LOGIN_BLOCKED_MESSAGE = _(
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen "
    "Sie es dann noch einmal. Wenn Sie Ihr Passwort vergessen haben, können Sie ein neues "
    "festlegen."
)

PERIOD = 15 * 60
LIMIT_PER_ACCOUNT = 5
LIMIT_PER_IP = 30


def _keys(request, names):
    keys = [("ip", client_network(request), LIMIT_PER_IP)]
    keys += [("name", name.strip().lower(), LIMIT_PER_ACCOUNT) for name in names if name]
    return [
        ("login-fail:" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest(), limit)
        for kind, value, limit in keys
    ]


def login_blocked(request, *names):
    """True when the client's IP or any of `names` has reached its failure limit."""
    if not settings.RATELIMIT_ENABLED:
        return False
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, names))


def login_failed(request, *names):
    """Count one failed attempt for the client's IP and for each of `names`."""
    for key, _limit in _keys(request, names):
        cache.add(key, 0, PERIOD)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, PERIOD)


def login_succeeded(request, *names):
    """A correct password clears the account's counter (not the IP's)."""
    cache.delete_many([key for key, _limit in _keys(request, names)[1:]])
