"""Fetching a partner's calendar over the internet, hardened: http(s) only, no private,
loopback, link-local or otherwise special address (checked on every redirect, and the
connection goes to the address that was checked — no second DNS answer), a timeout per read,
a time limit for the whole fetch (`CALENDAR_FEED_TOTAL_TIMEOUT`: a server that drips a byte
every few seconds is cut off), a size limit, a few redirects at most.
`CALENDAR_FEED_PRIVATE_ALLOWED` lists "host:port" pairs a test (or an intranet set-up) may
reach despite that."""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

MAX_BYTES = 1_000_000
TIMEOUT = 10
MAX_REDIRECTS = 3


INTERNAL_MESSAGE = _lazy(
    "Die Adresse des Kalenders zeigt in ein internes Netz. Das ist nicht erlaubt."
)


class FeedError(Exception):
    """What went wrong, in words the partner understands."""


def _allowed_private(host, port):
    return f"{host}:{port}" in settings.CALENDAR_FEED_PRIVATE_ALLOWED


def resolve(host, port):
    """The address to connect to: the first public one (all must be public)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FeedError(_("Der Server des Kalenders ist unbekannt.")) from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FeedError(_("Der Server des Kalenders ist unbekannt."))
    if not _allowed_private(host, port):
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise FeedError(INTERNAL_MESSAGE)
    return addresses[0]


class _Watchdog:
    """Cuts the watched socket when the time for the whole fetch is up: a read that waits for
    the next dripped byte then ends at once (the timeout per read cannot catch a drip)."""

    def __init__(self, seconds):
        self.expired = False
        self._socket = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self):
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)

    def _expire(self):
        with self._lock:
            self.expired = True
            if self._socket is not None:
                self._cut()

    def watch(self, sock):
        with self._lock:
            self._socket = sock
            if self.expired:
                self._cut()

    def cancel(self):
        self._timer.cancel()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, watchdog, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address
        self._watchdog = watchdog

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self._watchdog.watch(self.sock)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, watchdog, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address
        self._watchdog = watchdog

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self._watchdog.watch(sock)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _too_slow(seconds):
    return FeedError(
        _("Der Kalender wurde nicht rechtzeitig vollständig geladen (Zeitgrenze: %(seconds)s s).")
        % {"seconds": f"{seconds:g}"}
    )


def fetch(url, *, max_bytes=MAX_BYTES, timeout=TIMEOUT, total_timeout=None):
    """The feed's bytes, or FeedError. `timeout` bounds each connect and read, `total_timeout`
    (default: the setting `CALENDAR_FEED_TOTAL_TIMEOUT`) the whole fetch with its redirects."""
    if total_timeout is None:
        total_timeout = settings.CALENDAR_FEED_TOTAL_TIMEOUT
    deadline = time.monotonic() + total_timeout
    watchdog = _Watchdog(total_timeout)
    try:
        return _fetch(
            url,
            max_bytes=max_bytes,
            timeout=timeout,
            deadline=deadline,
            watchdog=watchdog,
            total_timeout=total_timeout,
        )
    finally:
        watchdog.cancel()


def _fetch(url, *, max_bytes, timeout, deadline, watchdog, total_timeout):
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FeedError(_("Nur Adressen mit http:// oder https:// sind erlaubt."))
        if parts.username or parts.password:
            raise FeedError(_("Adressen mit Benutzername oder Passwort sind nicht erlaubt."))
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FeedError(_("Die Adresse des Kalenders ist ungültig.")) from error
        address = resolve(parts.hostname, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _too_slow(total_timeout)
        connection_class = (
            _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(
            parts.hostname, port, address, watchdog, timeout=min(timeout, remaining)
        )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                path,
                headers={"User-Agent": "Quartier-Kalenderimport", "Accept": "text/calendar"},
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FeedError(_("Der Server leitet weiter, ohne zu sagen wohin."))
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FeedError(
                    _("Der Server des Kalenders antwortet mit dem Fehler %(status)s.")
                    % {"status": response.status}
                )
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedError(_("Der Kalender ist zu groß (höchstens 1 MB)."))
            data = response.read(max_bytes + 1)
            if watchdog.expired:
                raise _too_slow(total_timeout)
            if len(data) > max_bytes:
                raise FeedError(_("Der Kalender ist zu groß (höchstens 1 MB)."))
            return data
        except (OSError, http.client.HTTPException) as error:
            if watchdog.expired:
                raise _too_slow(total_timeout) from error
            if isinstance(error, TimeoutError | socket.timeout):
                raise FeedError(
                    _("Der Server des Kalenders antwortet nicht rechtzeitig.")
                ) from error
            raise FeedError(_("Der Kalender ist nicht erreichbar.")) from error
        finally:
            connection.close()
    raise FeedError(_("Zu viele Weiterleitungen."))
