"""Partner calendar feeds served by a hostile server that drips its answer a byte at a time:
each read gets its byte well within the read timeout, so only the time limit for the whole
fetch (`CALENDAR_FEED_TOTAL_TIMEOUT`, 1 s here) stops it. The fetch ends with a clear error,
the error is recorded on the feed, and the other feeds are imported all the same.

The dripping handler stops when the client goes away or when the test ends (a
`threading.Event`), and after a bounded number of bytes — so a broken time limit makes the test
fail, not hang, and the server shuts down without waiting for a handler that drips on."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from network.calendars import fetch as fetching
from network.calendars import services
from network.calendars.models import CalendarFeed, PartnerEvent
from tests.factories import make_area, square
from tests.network.factories import make_partner

pytestmark = pytest.mark.django_db

GOOD_ICS = (
    (Path(__file__).resolve().parents[1] / "data" / "calendars" / "good.ics")
    .read_bytes()
    .replace(b"@YEAR@", str(timezone.localdate().year + 1).encode())
)
DRIP_EVERY = 0.1  # seconds between two bytes, far below the 10 s read timeout
DRIP_AT_MOST = 150  # bytes: a dripping answer ends after 15 s even when nothing stops it
SLOW = "nicht rechtzeitig vollständig geladen (Zeitgrenze: 1 s)"


class DripServer:
    """`/gut.ics` answers at once; `/tropf-body.ics` sends its headers, then drips the body;
    `/tropf-kopf.ics` drips even the status line and headers."""

    def __init__(self):
        self.stop_dripping = threading.Event()
        stop = self.stop_dripping

        class Handler(BaseHTTPRequestHandler):
            def drip(self, data):
                for byte in data[:DRIP_AT_MOST]:
                    if stop.is_set():
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the client hung up: stop dripping
                        return
                    stop.wait(DRIP_EVERY)

            def do_GET(self):
                if self.path == "/gut.ics":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar")
                    self.send_header("Content-Length", str(len(GOOD_ICS)))
                    self.end_headers()
                    self.wfile.write(GOOD_ICS)
                elif self.path == "/tropf-body.ics":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar")
                    self.send_header("Content-Length", str(len(GOOD_ICS)))
                    self.end_headers()
                    self.wfile.flush()
                    self.drip(GOOD_ICS)
                elif self.path == "/tropf-kopf.ics":
                    head = (
                        "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n"
                        + "X-Fuell: "
                        + "x" * 400
                        + "\r\n\r\n"
                    )
                    self.drip(head.encode())
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.stop_dripping.set()  # first: every handler returns
        self.httpd.shutdown()
        self.httpd.server_close()  # joins the handler threads, which have returned
        self.thread.join()


@pytest.fixture
def drip_server(settings):
    server = DripServer()
    settings.CALENDAR_FEED_PRIVATE_ALLOWED = [f"127.0.0.1:{server.port}"]
    settings.CALENDAR_FEED_TOTAL_TIMEOUT = 1
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/tropf-body.ics", "/tropf-kopf.ics"])
def test_a_dripping_server_is_cut_off_with_a_clear_error(drip_server, path):
    with pytest.raises(fetching.FeedError) as error:
        fetching.fetch(drip_server.url(path))
    assert SLOW in str(error.value)


def test_the_time_limit_leaves_a_prompt_feed_alone(drip_server):
    assert fetching.fetch(drip_server.url("/gut.ics")) == GOOD_ICS


def test_a_dripping_feed_records_its_error_and_the_others_still_import(drip_server):
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    slow_partner = make_partner("Familienzentrum Nord", areas=[area])
    prompt_partner = make_partner("Kirchengemeinde", areas=[area])
    slow = CalendarFeed.objects.create(
        partner=slow_partner, url=drip_server.url("/tropf-body.ics"), approved_at=timezone.now()
    )
    CalendarFeed.objects.create(
        partner=prompt_partner, url=drip_server.url("/gut.ics"), approved_at=timezone.now()
    )
    results = services.feeds_import()
    assert results[slow.pk] is None
    slow.refresh_from_db()
    assert SLOW in slow.last_error
    assert slow.last_import_at is None
    assert not PartnerEvent.objects.filter(partner=slow_partner).exists()
    assert PartnerEvent.objects.filter(partner=prompt_partner).count() == 3
