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

What is never stored: responses that set a cookie or used the CSRF token (every page with a
POST form — a cached token would belong to someone else), responses whose Content-Security-
Policy carries a nonce (it must be new for each response), non-200 responses, streaming
responses, and responses marked private / no-cache / no-store. A cached response is stored
with all its headers (CSP, X-Frame-Options, Permissions-Policy, …), so it is served exactly as
it was produced; the middlewares above this one (security, sessions, locale) still run.
Entries also expire after PAGE_CACHE_SECONDS (default 60) so that time-dependent content
(“upcoming meetings”) moves on by itself. PAGE_CACHE_SECONDS=0 turns the cache off.

With CACHE_URL=locmem:// the version is per process: only use the page cache with one worker
then, or use the database cache (default) or Redis.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)
VERSION_KEY = "quartier:content-version"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

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
    if response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
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
            return cached
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            _pages.set(key, response, seconds)
        return response

    @staticmethod
    def _bump_after_write(request, response):
        if request.method in WRITE_METHODS:
            content_changed()
        return response
