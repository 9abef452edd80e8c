"""An upload cut off midway leaves nothing behind: no photo, no temporary file, no idea.

The requests go over a real socket to the live server: the client announces the whole body
in Content-Length, sends half of it and stops, so Django reads an early end of the body while
a photo is still streaming into a temporary file (the photo is larger than
FILE_UPLOAD_MAX_MEMORY_SIZE). The session and the CSRF token are valid and come before the
photo in the body, so the request gets past the CSRF check into the view's form parsing — the
complete upload, sent the same way, creates the idea.
"""

import os
import socket
import struct
import time
import uuid
from http.client import HTTPResponse
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from participation.ideas.models import Idea
from quartier.uploads import UploadInterrupted
from tests.factories import make_user

from .helpers import ensure_topic, two_areas

URL = reverse("participation:idea-create")
CSRF_SECRET = "a" * 32  # a valid secret for the csrftoken cookie; the form sends it unmasked


def noisy_jpeg(side=700):
    """A JPEG of a few hundred KB (noise compresses badly): streamed to a temporary file."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def multipart(fields, file_field, file_name, file_data):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + file_data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return boundary, b"".join(parts)


@pytest.fixture
def upload_setup(live_server, client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    two_areas()
    client.force_login(make_user())
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}"
    photo = noisy_jpeg()
    assert len(photo) > 4 * settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    boundary, body = multipart(
        {
            "csrfmiddlewaretoken": CSRF_SECRET,
            "kind": "idea",
            "title": "Ein Trinkbrunnen am Markt",
            "text": "Im Sommer fehlt Wasser für alle.",
            "topic": ensure_topic().pk,
            "location": '{"type": "Point", "coordinates": [7.465, 51.515]}',
            "photo_alt": "Der Marktplatz",
            "confirm_new": "on",
            "website": "",
        },
        "photo",
        "markt.jpg",
        photo,
    )
    head = (
        f"POST {URL} HTTP/1.1\r\n"
        f"Host: {urlsplit(live_server.url).netloc}\r\n"
        f"Cookie: {cookies}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return {
        "server": live_server,
        "request": head + body,
        "cut": len(head) + len(body) // 2,
        "media": Path(settings.MEDIA_ROOT),
        "temp": Path(settings.FILE_UPLOAD_TEMP_DIR),
    }


def connect(server):
    parts = urlsplit(server.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def read_response(sock):
    response = HTTPResponse(sock)
    response.begin()
    response.read()
    return response.status


def files_in(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


def wait_until_empty(folder, seconds=5):
    deadline = time.monotonic() + seconds
    while files_in(folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    return files_in(folder)


def assert_server_still_serves(server):
    with connect(server) as sock:
        sock.sendall(b"GET /ideen/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert read_response(sock) == 200


def test_complete_upload_over_the_socket_creates_the_idea(upload_setup):
    with connect(upload_setup["server"]) as sock:
        sock.sendall(upload_setup["request"])
        assert read_response(sock) == 302
    idea = Idea.objects.get()
    assert idea.photo and idea.thumbnail
    assert len(files_in(upload_setup["media"])) == 2
    assert wait_until_empty(upload_setup["temp"]) == []


def test_body_ending_midway_is_refused_and_leaves_nothing(upload_setup):
    """The client stops sending (half-close) but still reads the answer."""
    with connect(upload_setup["server"]) as sock:
        sock.sendall(upload_setup["request"][: upload_setup["cut"]])
        sock.shutdown(socket.SHUT_WR)
        assert read_response(sock) == 400
    assert not Idea.objects.exists()
    assert files_in(upload_setup["media"]) == []
    assert wait_until_empty(upload_setup["temp"]) == []
    assert_server_still_serves(upload_setup["server"])


def test_connection_closed_midway_leaves_nothing(upload_setup):
    """The client goes away for good in the middle of the photo."""
    sock = connect(upload_setup["server"])
    sock.sendall(upload_setup["request"][: upload_setup["cut"]])
    sock.close()
    assert_server_still_serves(upload_setup["server"])  # the interrupted one is handled by then
    assert wait_until_empty(upload_setup["temp"]) == []
    assert not Idea.objects.exists()
    assert files_in(upload_setup["media"]) == []


def test_connection_reset_midway_leaves_nothing(upload_setup):
    sock = connect(upload_setup["server"])
    sock.sendall(upload_setup["request"][: upload_setup["cut"]])
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # with linger 0: a reset, not an orderly end
    assert_server_still_serves(upload_setup["server"])
    assert wait_until_empty(upload_setup["temp"]) == []
    assert not Idea.objects.exists()
    assert files_in(upload_setup["media"]) == []


@pytest.mark.parametrize("photo_size", ["small", "large"])
def test_parser_refuses_a_body_ending_inside_a_file(rf, settings, tmp_path, photo_size):
    """Both handlers: a small photo kept in memory and a large one streamed to disk."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    photo = noisy_jpeg(side=60 if photo_size == "small" else 700)
    boundary, body = multipart({"title": "Bänke"}, "photo", "bank.jpg", photo)
    cut = body.index(photo) + len(photo) // 2
    request = rf.generic(
        "POST",
        URL,
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": BytesIO(body[:cut])},
    )
    with pytest.raises(UploadInterrupted):
        request.POST  # noqa: B018
    assert list(tmp_path.iterdir()) == []
