"""Fixtures of the calendar tests: a local HTTP server that serves feeds, a partner in an
area."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import make_area, square
from tests.network.factories import make_partner


class FeedServer:
    """A local HTTP server; `routes[path] = (status, headers, body)`."""

    def __init__(self):
        self.routes = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers, body = routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path, body, status=200, headers=None):
        self.routes[path] = (status, {"Content-Type": "text/calendar", **(headers or {})}, body)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(settings):
    feed_server = FeedServer()
    settings.CALENDAR_FEED_PRIVATE_ALLOWED = [f"127.0.0.1:{feed_server.port}"]
    yield feed_server
    feed_server.stop()


@pytest.fixture
def area():
    return make_area("Nordstadt", boundary=square(7.46, 51.51))


@pytest.fixture
def partner(area):
    return make_partner("Familienzentrum Nord", areas=[area], email="info@familienzentrum.example")
