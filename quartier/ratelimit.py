"""Who the visitor is, and rate limits for public forms (counted by `quartier.counters`, so
every process sees them and parallel requests cannot slip past a limit).

if not rate_limit_ok(request, "idea-submit", limit=5, period=3600, keys=[email]):
    form.add_error(None, RATE_LIMIT_MESSAGE)
"""

import functools
import ipaddress
import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from quartier.counters import counter_hit, counter_value

RATE_LIMIT_MESSAGE = _(
    "Sie haben dieses Formular in kurzer Zeit sehr oft abgeschickt. "
    "Bitte warten Sie eine Weile und versuchen Sie es dann noch einmal."
)


logger = logging.getLogger(__name__)


def _address(text):
    """The IP address in one hop of X-Forwarded-For (or REMOTE_ADDR), or None.

    Takes `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`; an
    IPv4-mapped IPv6 address becomes the IPv4 address. Anything else is None, never an error.
    """
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _trusted(address, networks):
    return any(address.version == net.version and address in net for net in networks)


_warned_untrusted_proxy = False


def _warn_once_about(peer):
    """A private or loopback peer sends X-Forwarded-For but is no trusted proxy: most likely a
    proxy TRUSTED_PROXIES forgot, and then every visitor counts as that one address."""
    global _warned_untrusted_proxy
    if not _warned_untrusted_proxy and (peer.is_private or peer.is_loopback):
        _warned_untrusted_proxy = True
        logger.warning(
            "X-Forwarded-For from %s is ignored because TRUSTED_PROXIES does not name it: "
            "behind a reverse proxy, every visitor counts as that one address.",
            peer,
        )


def client_ip(request):
    """The visitor's IP address as a string ("" when there is none, e.g. a unix socket).

    REMOTE_ADDR, unless it is one of TRUSTED_PROXIES: then X-Forwarded-For is walked from the
    right (the end the proxies append to), skipping trusted proxies; the first address that
    is not one is the visitor. Everything left of it was written by the visitor and is never
    believed; a hop that is not an IP address ends the walk at the last trusted proxy. A peer
    without an IP address (a unix socket) counts as a trusted proxy when TRUSTED_PROXIES is set.
    """
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if peer is not None and not _trusted(peer, networks):
        if forwarded:
            _warn_once_about(peer)
        return str(peer)
    if not networks:
        return ""
    client = peer
    for hop in reversed(forwarded.split(",")[-64:]):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client) if client is not None else ""


def client_network(request):
    """What limits and flags count as one visitor: the IPv4 address, or the /64 network of an
    IPv6 address (one connection usually gets a whole /64 and could take a new address from
    it for every attempt)."""
    ip = client_ip(request)
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return ip


def rate_limit_ok(request, action, *, limit, period, keys=()):
    """Count one attempt of `action` for the client's IP and each extra key (e.g. an e-mail).

    Returns False when any of them is over `limit` attempts in `period` seconds (counted from
    its first attempt).
    """
    if not settings.RATELIMIT_ENABLED:
        return True
    names = [f"rl:{action}:{period}:ip:{client_network(request)}"]
    names += [f"rl:{action}:{period}:key:{str(key).strip().lower()}" for key in keys if key]
    hits = [counter_hit(name, period) for name in names]
    return all(count <= limit for count in hits)


class RefusedPostsMiddleware:
    """A visitor whose anonymous POSTs keep being refused — a 403 (no or a wrong CSRF token)
    or a 400 (a form with errors) — REFUSED_POSTS_LIMIT times within REFUSED_POSTS_PERIOD
    seconds (counted per client network) is answered 429 at once for the rest of that window.

    It sits near the top of the middleware list: the answer is made before sessions, CSRF,
    forms or templates (a page rendered once per process and language, plus the security
    headers), so a flood of refused posts costs a counter read each instead of a page each, and
    the cached pages stay fast for everybody else. Accepted posts and signed-in accounts never
    count, and an account is never held up: a request with a session cookie is looked up (one
    read) only while its network is over the limit. REFUSED_POSTS_LIMIT=0 turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REFUSED_POSTS_LIMIT
        if request.method != "POST" or limit <= 0:
            return self.get_response(request)
        name = f"refused-posts:{client_network(request)}"
        if counter_value(name) >= limit and not _signed_in(request):
            return too_many_refused(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (400, 403) and not (user and user.is_authenticated):
            counter_hit(name, settings.REFUSED_POSTS_PERIOD)
        return response


def _signed_in(request):
    """Whether the request's session cookie names a signed-in account (one session read)."""
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return bool(store.get(SESSION_KEY))


_PAGES_429 = {}  # language -> HTML of templates/429.html


def too_many_refused(request):
    """The 429 page in the language of the address (/en/… and so on), without the portal's
    frame or any database read, with the security headers every page gets."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils import translation

    from quartier.middleware import add_security_headers

    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    if language not in _PAGES_429:
        with translation.override(language):
            _PAGES_429[language] = render_to_string("429.html", {"LANGUAGE_CODE": language})
    response = HttpResponse(_PAGES_429[language], status=429)
    response["Retry-After"] = str(settings.REFUSED_POSTS_PERIOD)
    response["Content-Language"] = language
    return add_security_headers(request, response)
