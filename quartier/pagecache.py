"""A page cache for anonymous visitors that no visitor can empty, bypass or bloat.

Anonymous GET requests are answered from a per-process memory store, keyed by the URL's
scheme, host and path, the language and the query parameters the page asks for (below). A
kept page carries the *versions of what it depends on*, and is served only while they are
unchanged. Its dependencies are noted while it is rendered, like the query parameters it asks
for:

- `table:<name>`: every content table its own SQL read (FROM/JOIN of each statement);
- `frag:<scope>`: every fragment scope (quartier.fragments) its fragments asked for — a
  fragment's SQL, run while it is built, is not noted: its scopes cover it;
- `epoch`: everything (raised by `content_changed()` without tables, e.g. after seed_bench).

The versions live in the shared cache (CACHE_URL), so every gunicorn worker sees a change at
once; checking a kept page costs one `get_many`. A table's version goes up

- whenever a row of that table is saved or deleted (signals connected in quartier/apps.py:
  views, the admin, services, management commands, cron jobs), once at once and once more
  after the transaction commits;
- after a POST, PUT, PATCH or DELETE request that succeeded (2xx/3xx), for every content
  table it wrote to (seen in the SQL it ran: `queryset.update()` and bulk writes send no
  signal). A refused request (403 CSRF, 405, 429, a form with errors) changes nothing, so it
  keeps every cached page; counting an attempt for a rate limit is bookkeeping
  (`shown_on_pages = False`, like the outboxes), not a change.

Why this design, and not one version for everything (as before): in a rush of 10 % writes a
single version went up several times a second, so nearly every read rendered the page afresh —
the page cache did nothing exactly when it was needed. Keying by the area alone would need
every view to declare what it shows (easy to forget, and a forgotten dependency shows stale
pages); noting what the page actually read cannot forget anything the page read through the
database or a fragment. Now a support in Nordstadt makes stale the pages that read ideas or
supports (the list, the idea pages, the home page) and Nordstadt's fragments, but not the
other areas' pages (their idea figures are fragments of their own area), the map page, the
network, the meetings or the mood page. Rows kept per process outside any page (the area
tree, neighbourhoods.selectors.AreaCache) are not seen by a page that uses them, so a write
to a neighbourhoods table raises the epoch: every page (areas rarely change).

The order of reads and writes (a page rendered from the old rows must never be kept under the
new versions): when a page's dependencies are known (from an earlier rendering, remembered
for an hour), their versions are read *before* rendering and the page is kept under those; a
write that commits meanwhile raises them after that read (the bump after the commit), so the
kept page is stale at once. On a first visit nothing is known yet: the page is kept only if the
content version (raised by every write, also after the commit) did not move while it was
rendered — otherwise only its dependencies are remembered, and the next visit keeps it.
A version missing from the shared cache counts as 1 (as fragments do); pages also expire
after PAGE_CACHE_SECONDS, the safety net for anything time-dependent or not seen.

Who is served from the store: GET and HEAD requests without a real session (a `sessionid`
cookie naming no session, or an expired one, counts as none: one indexed lookup, nothing is
created) and without a validly signed `messages` cookie. A request with an Authorization
header may be served a stored page (the portal has no HTTP authentication), but its own
response is never stored (RFC 9111, 3.5).

Query strings: the key holds only the parameters the page asks for by name
(`request.GET.get("page")`, `["topic"]`, `getlist`, `in`). While a page is rendered for the
store, `request.GET` notes those names; they are kept per path beside the pages. A parameter
the page never asks for (`?x=<anything>`) is not part of the key, so it neither misses the
cache nor creates an entry: the page is rendered without it (it never appears in the page's
own links) and served from the entry of the same page without it. At most
`MAX_KEY_VALUES` values and `MAX_KEY_CHARS` characters of parameters make a key; longer
queries are rendered every time and never stored. Copies of the whole query
(`request.GET.copy()`, `urlencode`) are meant for echoing the filters into links.

Pages with POST forms are stored without their CSRF token: each `csrfmiddlewaretoken` value is
replaced by a placeholder, and a visitor served from the cache gets their own token (from their
own csrftoken cookie, or a new cookie) put in — so nobody's token is ever shown to anyone else;
if a token could not be taken out cleanly the page is not stored. One-time form keys
(quartier.formkeys) are treated the same way: stored as placeholders, new for every visitor.
What is never stored:
responses that set any other cookie or change the session, responses whose
Content-Security-Policy carries a nonce (it must be new for each response), non-200 responses,
streaming responses, responses marked private / no-cache / no-store, and responses larger than
PAGE_CACHE_MAX_ENTRY_BYTES. The store holds at most PAGE_CACHE_MAX_BYTES per process (least
recently used pages go first). A cached response is stored with all its headers (CSP,
X-Frame-Options, Permissions-Policy, …) and served with an `Age` header (RFC 9111); the
middlewares above this one (security, sessions, locale) still run. Entries also expire after
PAGE_CACHE_SECONDS (default 60) so that time-dependent content (“upcoming meetings”) moves on
by itself. PAGE_CACHE_SECONDS=0 turns the cache off.

With CACHE_URL=locmem:// the versions are per process: only use the page cache with one worker
then, or use the database cache (default) or Redis.
"""

import copy
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from functools import cache as memoize

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import patch_vary_headers

from quartier import formkeys, fragments
from quartier.localstore import ByteBoundedStore

logger = logging.getLogger(__name__)
VERSION_KEY = "quartier:content-version"
EPOCH_KEY = "quartier:page-epoch"  # raised by content_changed() without tables: every page
TABLE_PREFIX = "quartier:table-version:"
# Tables whose rows are also kept per process outside any page (the area tree in
# neighbourhoods.selectors.AreaCache, checked by a tiny version row): a write to them makes
# every page stale, since a page may show them without reading the table itself.
WIDE_TABLE_PREFIXES = ("neighbourhoods_",)
READ_SQL = re.compile(r'\b(?:FROM|JOIN)\s+[`"\[]?(\w+)', re.IGNORECASE)
DEPENDENCY_SECONDS = 3600  # how long a page's list of dependencies is remembered
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Apps whose rows make up the public pages: a saved row of these makes cached pages stale.
CONTENT_APPS = {"quartier", "neighbourhoods", "participation", "network"}

CSRF_PLACEHOLDER = b"__quartier_csrf_token__"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')

MAX_KEY_VALUES = 20
MAX_KEY_CHARS = 1000
MAX_KEY_NAMES = 40  # more parameter names than any page asks for
ENTRY_OVERHEAD = 512  # bytes counted for an entry beyond its content and headers


_pages = ByteBoundedStore(
    lambda: (settings.PAGE_CACHE_MAX_BYTES, settings.PAGE_CACHE_MAX_ENTRY_BYTES)
)


@dataclass(frozen=True)
class Page:
    status: int
    headers: tuple
    content: bytes
    has_csrf: bool
    stored_at: float
    versions: tuple = ()  # ((dependency, version), …) when it was rendered

    @property
    def size(self):
        headers = sum(len(name) + len(value) for name, value in self.headers)
        return len(self.content) + headers + ENTRY_OVERHEAD


def content_version():
    """The number of content changes so far (every write raises it; the report cache uses it
    and so does the page cache, as a guard while it learns a page's dependencies)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY) or 1
    return version


def _without_guard(versions):
    return {name: version for name, version in versions.items() if name != "guard"}


def _versions_to_keep(before, dependencies):
    """The versions to keep a page under that was rendered after `before` was read, or None.

    Dependencies whose versions were read before rendering keep those: a write committed
    meanwhile raises them after that read, so the page is stale at once. If the page turned
    out to depend on more (a first visit: nothing known yet), their versions are read now,
    which is safe only when no write at all happened while it was rendered: the guard
    (content_version, raised by every write, after the commit too) must not have moved."""
    missing = dependencies - set(before)
    if not missing:
        return {name: before[name] for name in dependencies}
    try:
        now = _versions(missing | {"guard"})
    except Exception:
        logger.warning("page cache: no versions", exc_info=True)
        return None
    if now["guard"] != before["guard"]:
        return None  # something was written meanwhile: kept next time, with known dependencies
    return {name: before.get(name, now.get(name)) for name in dependencies}


def _dependency_key(dependency):
    """The shared cache's key of a dependency's version: `epoch`, `table:<db table>` or
    `frag:<fragment scope>` (the fragment cache's own version key)."""
    kind, _, name = dependency.partition(":")
    if kind == "frag":
        return fragments.version_key(name)
    if kind == "table":
        return TABLE_PREFIX + name
    if kind == "guard":
        return VERSION_KEY
    return EPOCH_KEY


def _versions(dependencies):
    """{dependency: version} in one round trip (a version never set counts as 1)."""
    keys = {_dependency_key(dependency): dependency for dependency in dependencies}
    found = cache.get_many(list(keys))
    return {dependency: found.get(key, 1) for key, dependency in keys.items()}


_PENDING = "_quartier_page_versions"  # on the connection: keys to raise after the commit


def _bump_pending():
    keys = getattr(connection, _PENDING, None) or set()
    setattr(connection, _PENDING, None)
    fragments.raise_versions(sorted(keys))


def content_changed(tables=None):
    """Call when public content changed (saves and successful write requests do it): with
    `tables`, the pages that read those tables are stale; without, every page is.

    Raised now and once more after the transaction commits (a page rendered meanwhile from the
    old rows is never kept under the new versions)."""
    keys = {VERSION_KEY}
    if tables is None:
        keys.add(EPOCH_KEY)
    else:
        keys.update(TABLE_PREFIX + table for table in tables)
        if any(table.startswith(WIDE_TABLE_PREFIXES) for table in tables):
            keys.add(EPOCH_KEY)
    fragments.raise_versions(sorted(keys))
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, _PENDING, None)
    if pending is not None and any(
        callback is _bump_pending for _ids, callback, _robust in connection.run_on_commit
    ):
        pending.update(keys)
    else:  # the first write of this transaction (or its callback went with a savepoint)
        setattr(connection, _PENDING, set(keys))
        transaction.on_commit(_bump_pending, robust=True)


def clear_local():
    """For tests: forget this process's stored pages and fragments."""
    _pages.clear()
    fragments.clear_local()


def _seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


# --- who may be served from the store -------------------------------------------------------


def _has_real_session(request):
    """False for a missing, unknown or expired session cookie; loading creates nothing."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    if session is None:
        return True
    session.keys()  # loads it: an unknown or expired key is forgotten (is_empty() then)
    return not session.is_empty()


def _has_messages(request):
    value = request.COOKIES.get(CookieStorage.cookie_name)
    if value is None:
        return False
    try:
        signing.get_cookie_signer(salt=CookieStorage.key_salt).unsign(value)
    except signing.BadSignature:
        return False
    return True


def _cacheable_request(request):
    return (
        request.method in {"GET", "HEAD"}
        and not _has_real_session(request)
        and not _has_messages(request)
    )


# --- keys ------------------------------------------------------------------------------------


class TrackedQuery(QueryDict):
    """`request.GET` while a page is rendered for the store: notes the names the page asks for."""

    def __init__(self, *args, **kwargs):
        self.asked = set()
        super().__init__(*args, **kwargs)
        self.asked.clear()  # parsing looked up every name

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def copy(self):
        return QueryDict(self.urlencode(), mutable=True, encoding=self.encoding)

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()


def _base(request):
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"{language}|{request.scheme}://{request.get_host()}{request.path}"


def _names_key(base):
    return "names:" + hashlib.sha256(base.encode()).hexdigest()


def _page_key(base, names, query):
    """The key of the page for `query` restricted to `names`; None if that is too long."""
    pairs = [(name, query.getlist(name)) for name in sorted(names) if name in query]
    if sum(len(values) for _name, values in pairs) > MAX_KEY_VALUES:
        return None
    kept = json.dumps([sorted(names), pairs], ensure_ascii=False)
    if len(kept) > MAX_KEY_CHARS + 20 * len(names):
        return None
    return "page:" + hashlib.sha256(f"{base}|{kept}".encode()).hexdigest()


def _restricted(query, names):
    kept = QueryDict(mutable=True, encoding=query.encoding)
    for name in names:
        if name in query:
            kept.setlist(name, query.getlist(name))
    return kept.urlencode()


# --- what is stored --------------------------------------------------------------------------


def _storable(request, response):
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming or "HTTP_AUTHORIZATION" in request.META:
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


def _page(request, response, versions):
    """The response without this visitor's CSRF token, or None."""
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
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() != "set-cookie"
    )
    return Page(
        response.status_code,
        headers,
        formkeys.hide_keys(content),
        has_csrf,
        time.time(),
        tuple(sorted(versions.items())),
    )


def _response(request, page):
    content = formkeys.fill_keys(page.content)
    response = HttpResponse(content, status=page.status, headers=dict(page.headers))
    response["Age"] = str(max(0, int(time.time() - page.stored_at)))
    if not page.has_csrf:
        return response
    csrf = CsrfViewMiddleware(lambda request: None)
    csrf.process_request(request)  # the visitor's own secret, or a new one
    response.content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return csrf.process_response(request, response)  # sets (or renews) their cookie


# --- writes ----------------------------------------------------------------------------------

WRITE_SQL = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(\w+)', re.IGNORECASE
)


@memoize
def content_tables():
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in CONTENT_APPS and getattr(model, "shown_on_pages", True)
    )


class ContentWrites:
    """A database execute wrapper noting the content tables a request wrote to."""

    def __init__(self):
        self.tables = set()

    @property
    def seen(self):
        return bool(self.tables)

    def __call__(self, execute, sql, params, many, context):
        match = WRITE_SQL.match(sql)
        if match and match.group(1) in content_tables():
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


class PageReads:
    """What a page depends on, noted while it is rendered: the content tables its own SQL
    reads, and the fragment scopes whose versions its fragments asked for (a fragment's SQL,
    run while it is built, is covered by its scopes and not noted)."""

    def __init__(self):
        self.tables = set()
        self.scopes = set()
        self.paused = 0

    def __call__(self, execute, sql, params, many, context):
        if not self.paused:
            self.tables.update(READ_SQL.findall(sql))
        return execute(sql, params, many, context)

    def dependencies(self):
        tables = self.tables & content_tables()
        return frozenset(
            {"epoch"} | {f"table:{name}" for name in tables} | {f"frag:{s}" for s in self.scopes}
        )


def _dependencies_key(key):
    return "deps:" + key


# --- the middleware --------------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Place after LocaleMiddleware (the language is part of the key) and before
    CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware and CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in WRITE_METHODS:
            return self._write(request)
        seconds = _seconds()
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        base = _base(request)
        query = request.GET
        names = _pages.get(_names_key(base))
        before = None  # the versions of the page's known dependencies, read before rendering
        if names is not None:
            key = _page_key(base, names, query)
            if key and (known := _pages.get(_dependencies_key(key))) is not None:
                try:
                    before = _versions(known | {"guard"})
                except Exception:  # cache unreachable: serve uncached rather than fail
                    logger.warning("page cache: no versions", exc_info=True)
                    return self.get_response(request)
                page = _pages.get(key)
                if page is not None and dict(page.versions) == _without_guard(before):
                    return _response(request, page)
            if set(query) - names:  # parameters the page never asks for: render without them
                query_string = _restricted(query, names)
                return self._render(request, base, names, query_string, seconds, before)
        return self._render(request, base, names or frozenset(), None, seconds, before)

    def _render(self, request, base, names, query_string, seconds, before):
        """Render the page (for `query_string` instead of the request's own if given) and
        keep it if it may be kept."""
        rendered = request
        if query_string is not None:
            rendered = copy.copy(request)
            rendered.META = rendered.environ = {**request.META, "QUERY_STRING": query_string}
        full_query = request.GET
        rendered.GET = tracked = TrackedQuery(
            rendered.META.get("QUERY_STRING", ""), encoding=request.encoding
        )
        if before is None:
            try:
                before = _versions({"guard"})
            except Exception:
                logger.warning("page cache: no versions", exc_info=True)
                return self.get_response(request)
        reads = PageReads()
        token = fragments.page_reads.set(reads)
        try:
            with connection.execute_wrapper(reads):
                response = self.get_response(rendered)
        finally:
            fragments.page_reads.reset(token)
        stripped = set(full_query) - set(tracked)
        if tracked.asked & stripped:
            # The page asks for a parameter left out: it matters after all. Render again
            # with the whole query (once: its name is known from now on).
            names = names | tracked.asked
            return self._render(request, base, names, None, seconds, None)
        if not _storable(rendered, response) or len(response.content) > (
            settings.PAGE_CACHE_MAX_ENTRY_BYTES
        ):
            return response
        names = frozenset(names | tracked.asked)
        if len(names) > MAX_KEY_NAMES:
            return response
        _pages.set(_names_key(base), names, size=ENTRY_OVERHEAD, seconds=seconds)
        if set(tracked) - names:
            return response  # a parameter it never asked for may be echoed: not kept
        key = _page_key(base, names, tracked)
        if not key:
            return response
        patch_vary_headers(response, ("Cookie",))
        dependencies = reads.dependencies()
        size = ENTRY_OVERHEAD + sum(len(name) for name in dependencies)
        _pages.set(_dependencies_key(key), dependencies, size=size, seconds=DEPENDENCY_SECONDS)
        versions = _versions_to_keep(before, dependencies)
        page = _page(rendered, response, versions) if versions is not None else None
        if page is not None:
            _pages.set(key, page, size=page.size, seconds=seconds)
        return response

    def _write(self, request):
        writes = ContentWrites()
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if writes.tables and response.status_code < 400:
            content_changed(writes.tables)
        return response
