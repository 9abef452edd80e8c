"""Log-in throttling for the portal and the admin: attempts counted per IP and per account name.

Each attempt is counted *before* the password is checked (`login_attempt`), atomically, so
parallel guesses cannot slip past the limit; a correct password gives its attempt back and
clears the account's counter, so in effect only failures count. The answer when blocked is
the same whether or not the account exists, so the throttle tells a guesser nothing about
which names are real. The second factor (`otp_attempt`) is throttled the same way.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from quartier.counters import counter_hit, counter_reset, counter_undo
from quartier.ratelimit import client_network

LOGIN_BLOCKED_MESSAGE = _(
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen "
    "Sie es dann noch einmal. Wenn Sie Ihr Passwort vergessen haben, können Sie ein neues "
    "festlegen."
)

PERIOD = 15 * 60
LIMIT_PER_ACCOUNT = 5
LIMIT_PER_IP = 30


def _ip_counter(request, kind):
    return (f"{kind}:ip:{client_network(request)}", LIMIT_PER_IP)


def _name_counters(kind, names):
    return [(f"{kind}:name:{name.strip().lower()}", LIMIT_PER_ACCOUNT) for name in names if name]


def _attempt(counters, *, always=False):
    if not (settings.RATELIMIT_ENABLED or always):
        return True
    hits = [(counter_hit(name, PERIOD), limit) for name, limit in counters]
    return all(count <= limit for count, limit in hits)


def _succeeded(request, kind, names, *, always=False):
    if not (settings.RATELIMIT_ENABLED or always):
        return
    counter_undo(_ip_counter(request, kind)[0])
    counter_reset(*[name for name, _limit in _name_counters(kind, names)])


def login_attempt(request, *names):
    """Count one log-in attempt for the client's IP and each of `names`; False when any of
    them is over its limit (then the password must not be checked)."""
    return _attempt([_ip_counter(request, "login"), *_name_counters("login", names)])


def login_succeeded(request, *names):
    """A correct password: its attempt is given back to the IP, the accounts' counters clear."""
    _succeeded(request, "login", names)


def otp_attempt(request, user):
    """Count one attempt at a second-factor code for the client's IP and the account. Always
    on: RATELIMIT_ENABLED=0 (for load tests) must not open the second factor to guessing."""
    counters = [_ip_counter(request, "otp"), *_name_counters("otp", [str(user.pk)])]
    return _attempt(counters, always=True)


def otp_succeeded(request, user):
    _succeeded(request, "otp", [str(user.pk)], always=True)
