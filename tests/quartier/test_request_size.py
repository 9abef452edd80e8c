"""Request bodies over REQUEST_BODY_MAX_BYTES are refused from their Content-Length, before a
byte of them is read: no temporary file, an answer while the client is still sending.

Over a real socket against the live server: the client announces 200 MB, sends the start of a
multipart upload (larger than FILE_UPLOAD_MAX_MEMORY_SIZE, so Django would stream it into a
temporary file) and waits for the answer without sending the rest. gunicorn is checked the
same way in test_production.py.
"""

import socket
import uuid
from http.client import HTTPResponse
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ANNOUNCED = 200 * 1024 * 1024
CSRF_SECRET = "a" * 32


def post_start(path, host, *, announced, sent, chunked=False):
    """Head and the first `sent` bytes of a multipart photo upload of `announced` bytes."""
    boundary = uuid.uuid4().hex
    start = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{CSRF_SECRET}\r\n--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
        'filename="gross.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()
    body = start + b"\xff" * (sent - len(start))
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {announced}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: csrftoken={CSRF_SECRET}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n{length}\r\n\r\n"
    ).encode()
    if chunked:
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n"
    return head + body


def send_and_read(address, data, timeout=5):
    """Send `data`, then read the answer without sending anything more."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        response = HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


@pytest.fixture
def server(live_server, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    parts = urlsplit(live_server.url)
    return {
        "address": (parts.hostname, parts.port),
        "host": parts.netloc,
        "temp": Path(settings.FILE_UPLOAD_TEMP_DIR),
    }


def test_body_over_the_limit_is_refused_before_it_is_read(server):
    data = post_start("/ideen/neu/", server["host"], announced=ANNOUNCED, sent=512 * 1024)
    status, headers, body = send_and_read(server["address"], data)
    assert status == 413
    assert headers["Content-Type"].startswith("text/plain")
    assert "höchstens 12,0 MB" in body.decode().replace("\xa0", " ")
    assert list(server["temp"].iterdir()) == []


def test_refusal_speaks_the_pages_language(server):
    data = post_start("/en/ideen/neu/", server["host"], announced=ANNOUNCED, sent=4096)
    status, _headers, body = send_and_read(server["address"], data)
    assert status == 413
    assert "at most 12.0 MB" in body.decode().replace("\xa0", " ")


def test_limit_is_a_setting(server, settings):
    settings.REQUEST_BODY_MAX_BYTES = 100_000
    data = post_start("/ideen/neu/", server["host"], announced=100_001, sent=4096)
    assert send_and_read(server["address"], data)[0] == 413


def test_chunked_body_without_length_is_refused_unread(server):
    data = post_start("/ideen/neu/", server["host"], announced=0, sent=512 * 1024, chunked=True)
    status, _headers, _body = send_and_read(server["address"], data)
    assert status == 411
    assert list(server["temp"].iterdir()) == []


@pytest.mark.django_db
def test_body_within_the_limit_reaches_the_view(client):
    """Announced and sent in full, a normal post is not refused (the CSRF check answers)."""
    response = client.post("/ideen/neu/", {"title": "Bänke"})
    assert response.status_code not in {411, 413}
