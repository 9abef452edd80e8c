"""A page cache for anonymous visitors, invalidated by a global content version.

Anonymous GET requests without a session (no `sessionid` cookie, so no messages and no
per-user navigation) are answered from a per-process memory cache, keyed by the full URL, the
language and the *content version*. The content version lives in the shared cache
(CACHE_URL), so every gunicorn worker sees a change at once: it goes up

- after every request that may write (POST, PUT, PATCH, DELETE — whatever it did, so forms,
  the admin and the accounts pages are covered without each view having to remember), and
- whenever a row of the portal's own apps is saved or deleted (signals connected in
  quartier/apps.py: the admin, services, management commands, cron jobs), and
- when `content_changed()` is called (bulk writes that send no signals, e.g. seed_bench).

Pages with POST forms are stored without their CSRF token: each `csrfmiddlewaretoken` value is
replaced by a placeholder, and a visitor served from the cache gets their own token (from their
own csrftoken cookie, or a new cookie) put in — so nobody's token is ever shown to anyone else;
if a token could not be taken out cleanly the page is not stored. One-time form keys
(quartier.formkeys) are treated the same way: stored as placeholders, new for every visitor.
What is never stored:
responses that set any other cookie or change the session, responses whose
Content-Security-Policy carries a nonce (it must be new for each response), non-200 responses,
streaming responses, and responses marked private / no-cache / no-store. A cached response is stored
with all its headers (CSP, X-Frame-Options, Permissions-Policy, …), so it is served exactly as
it was produced; the middlewares above this one (security, sessions, locale) still run.
Entries also expire after PAGE_CACHE_SECONDS (default 60) so that time-dependent content
(“upcoming meetings”) moves on by itself. PAGE_CACHE_SECONDS=0 turns the cache off.

With CACHE_URL=locmem:// the version is per process: only use the page cache with one worker
then, or use the database cache (default) or Redis.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import patch_vary_headers

from quartier import formkeys

logger = logging.getLogger(__name__)
VERSION_KEY = "quartier:content-version"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CSRF_PLACEHOLDER = b"__quartier_csrf_token__"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')

_pages = LocMemCache("quartier-pages", {"OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4}})


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY) or 1
    return version


def content_changed():
    """Call when public content changed outside a request (requests that write bump it)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet: nothing can be cached under an older one
            cache.add(VERSION_KEY, 2, None)
    except Exception:  # the cache is unreachable (or not created yet, during migrate)
        logger.warning("page cache: could not bump the content version", exc_info=True)


def clear_local():
    """For tests: forget this process's stored pages."""
    _pages.clear()


def _seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def _cacheable_request(request):
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _key(request, version):
    url = request.build_absolute_uri()
    digest = hashlib.sha256(
        f"{version}|{getattr(request, 'LANGUAGE_CODE', '')}|{url}".encode()
    ).hexdigest()
    return f"page:{digest}"


def _storable(request, response):
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming:
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
        if "nonce-" in response.get(header, ""):
            return False
    return True


def _entry(request, response):
    """(status, headers, content, has_csrf) without this visitor's CSRF token, or None."""
    content = response.content
    has_csrf = bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or settings.CSRF_COOKIE_NAME in response.cookies
    )
    if has_csrf:
        content, replaced = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\3", content)
        secret = request.META.get("CSRF_COOKIE", "")
        if replaced != content.count(b"csrfmiddlewaretoken") or (
            secret and secret.encode() in content
        ):
            return None  # a token somewhere else: never store it
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    return (response.status_code, headers, formkeys.hide_keys(content), has_csrf)


def _response(request, entry):
    status, headers, content, has_csrf = entry
    content = formkeys.fill_keys(content)
    if not has_csrf:
        return HttpResponse(content, status=status, headers=dict(headers))
    csrf = CsrfViewMiddleware(lambda request: None)
    csrf.process_request(request)  # the visitor's own secret, or a new one
    content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=status, headers=dict(headers))
    return csrf.process_response(request, response)  # sets (or renews) their cookie


class AnonymousPageCacheMiddleware:
    """Place after LocaleMiddleware (the language is part of the key) and before
    CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware and CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if seconds <= 0:
            return self._bump_after_write(request, self.get_response(request))
        if not _cacheable_request(request):
            return self._bump_after_write(request, self.get_response(request))
        try:
            key = _key(request, content_version())
        except Exception:  # cache unreachable: serve uncached rather than fail
            logger.warning("page cache: no content version", exc_info=True)
            return self.get_response(request)
        cached = _pages.get(key)
        if cached is not None:
            return _response(request, cached)
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            entry = _entry(request, response)
            if entry is not None:
                _pages.set(key, entry, seconds)
        return response

    @staticmethod
    def _bump_after_write(request, response):
        if request.method in WRITE_METHODS:
            content_changed()
        return response
