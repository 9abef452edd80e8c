"""Two application servers behave as one portal (PostgreSQL + Redis, photos on S3).

Two gunicorn instances A and B (production settings) share one PostgreSQL database, one Redis
(cache, rate limits, page cache versions, sessions) and one S3 bucket (moto's server); one
worker sends the mails both queue — and is killed (SIGKILL) in the middle of a batch and
started again. With Debian's nginx installed, the compose file's nginx.conf runs in front of
both (TLS, X-Forwarded-*, body size limit) and the portal is used through it as well.

Runs with DATABASE_URL=postgres://… and CACHE_URL=redis://… (CI's Redis job); skips otherwise.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from PIL import Image

from participation.ideas.models import Idea, IdeaStatus
from participation.subscriptions.models import Frequency, Subscription
from participation.topics.models import Topic
from quartier.models import OutboxMail
from tests.factories import make_area, make_manager, make_user, square
from tests.participation.helpers import jpeg_with_gps

from .mail_backends import delivered
from .test_compose import nginx_config_for, self_signed_certificate
from .test_tasks import ROOT, _wait_for, stop

REDIS_URL = os.environ.get("CACHE_URL", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two instances share one PostgreSQL database (set DATABASE_URL=postgres://…)",
    ),
    pytest.mark.skipif(
        not REDIS_URL.startswith("redis"),
        reason="two instances share one Redis (set CACHE_URL=redis://…)",
    ),
]

PORT_A, PORT_B = (
    int(os.environ.get("TEST_PORT_A", "8301")),
    int(os.environ.get("TEST_PORT_B", "8302")),
)
NGINX_HTTPS, NGINX_HTTP = 8310, 8311
PASSWORD = "geheim-und-lang-genug"
FOLLOWERS = 40


class Visitor:
    """A browser of one person: its own cookies, sent to whichever instance it talks to."""

    def __init__(self):
        self.cookies = {}

    def request(self, url, data=None, files=None):
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with _opener.open(request, timeout=30) as response:
                status, head, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, head, content = error.code, error.headers, error.read()
        for header in head.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return status, head, content.decode("utf-8", "replace")

    def get(self, url):
        return self.request(url)

    def post_form(self, page_url, data, files=None, action=None):
        """Fetch the page with the form (for its CSRF token), then post the form."""
        status, _head, html = self.get(page_url)
        assert status == 200, (page_url, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(
            action or page_url, {"csrfmiddlewaretoken": token, "website": "", **data}, files
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _https_context():
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


_opener = urllib.request.build_opener(
    _NoRedirect, urllib.request.HTTPSHandler(context=_https_context())
)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", value]
    parts = "\r\n".join(lines).encode() + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        parts += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts += f"--{boundary}--\r\n".encode()
    return parts, f"multipart/form-data; boundary={boundary}"


def _environment(tmp_path, s3):
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(s3)
    env.update(
        PYTHONPATH=str(ROOT),
        PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{env.get('PATH', '')}",
        DEBUG="0",
        SECRET_KEY="two-instances-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="1",
        STAFF_2FA="0",
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"two-instances-{uuid.uuid4().hex[:8]}",
        SESSION_ENGINE="cache",
        TASKS_BACKEND="database",
        TASKS_SWEEP_SECONDS="2",
        EMAIL_BACKEND="tests.quartier.mail_backends.CountingFileBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="",
        LOG_LEVEL="WARNING",
    )
    return env


def _start(command, env, log):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _healthy(url):
    def check():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    return check


def _data():
    """What the migrations' data would be after other transactional tests flushed it."""
    for name in ["Quartierskoordination", "Quartiersmanagement", "Partnerkontakt"]:
        Group.objects.get_or_create(name=name)
    topic, _ = Topic.objects.get_or_create(slug="verkehr", defaults={"name": "Verkehr"})
    area = make_area("Nordstadt", boundary=square(7.46, 51.51))
    manager = make_manager(area, username="qm-nord")
    resident = make_user("bewohnerin")
    make_user("vergesslich", email=f"vergesslich-{uuid.uuid4().hex[:6]}@example.org")
    # The servers use production's password hashers, not the tests' fast one.
    get_user_model().objects.update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, "two-instances-salt")
    )
    Subscription.objects.bulk_create(
        Subscription(
            email=f"follower{number}@example.org",
            area=area,
            frequency=Frequency.IMMEDIATELY,
            confirmed_at=timezone.now(),
        )
        for number in range(FOLLOWERS)
    )
    return area, topic, manager, resident


def test_two_instances_behind_one_proxy_behave_as_one_portal(tmp_path, s3_server):
    area, topic, manager, resident = _data()
    env = _environment(tmp_path, s3_server)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log = open(tmp_path / "servers.log", "wb")  # noqa: SIM115 - closed in finally
    processes = []
    a, b = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
    try:
        for port in (PORT_A, PORT_B):
            processes.append(
                _start(
                    ["gunicorn", "-c", "quartier/gunicorn.conf.py"],
                    {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    log,
                )
            )
        worker = _start(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            {**env, "TEST_MAIL_HANG_AFTER": "15", "TEST_MAIL_HANG_MATCH": "follower"},
            log,
        )
        processes.append(worker)
        proxy = _start_nginx(tmp_path, log)
        if proxy:
            processes.append(proxy)
        for base in (a, b):
            _wait_for(_healthy(base + "/healthz"), 60, f"{base}/healthz")

        # A session made on A is valid on B.
        person = Visitor()
        status, head, _ = person.post_form(
            a + "/konto/anmelden/", {"username": "bewohnerin", "password": PASSWORD}
        )
        assert status == 302, "log-in on A failed"
        status, _, html = person.get(b + "/konto/")
        assert status == 200 and "bewohnerin" in html

        # Rate limits count across both: five password resets for one address through A and B
        # alternately pass, the sixth is refused — on either instance.
        forgetful = Visitor()
        address = get_user_model().objects.get(username="vergesslich").email
        for attempt in range(5):
            base = (a, b)[attempt % 2]
            status, _, _ = forgetful.post_form(
                base + "/konto/passwort-vergessen/", {"email": address}
            )
            assert status == 302, f"reset {attempt + 1} was refused"
        for base in (a, b):
            status, _, html = forgetful.post_form(
                base + "/konto/passwort-vergessen/", {"email": address}
            )
            assert status == 200 and "sehr oft" in html

        # B shows the idea list (and keeps it in its page cache) before anything changes.
        anonymous = Visitor()
        for _ in range(2):
            status, _, html = anonymous.get(b + "/ideen/")
            assert status == 200 and "Bänke mit Foto" not in html

        # A photo uploaded through A …
        photo = jpeg_with_gps()
        status, head, html = person.post_form(
            a + "/ideen/neu/",
            {
                "kind": "idea",
                "title": "Bänke mit Foto",
                "text": "Am Markt fehlen Bänke.",
                "topic": str(topic.pk),
                "area": str(area.pk),
                "location": "",
                "photo_alt": "Der Markt ohne Bänke",
                "confirm_new": "on",
            },
            files={"photo": ("markt.jpg", photo, "image/jpeg")},
        )
        assert status == 302, html[:2000]
        idea = Idea.objects.get(title="Bänke mit Foto")
        assert idea.status == IdeaStatus.PENDING and idea.photo

        # … is published through A by the manager (the followers are told by the worker) …
        staff = Visitor()
        status, _, _ = staff.post_form(
            a + "/verwaltung/login/",
            {"username": "qm-nord", "password": PASSWORD, "next": "/verwaltung/"},
        )
        assert status == 302
        status, _, html = staff.post_form(
            a + "/verwaltung/participation/idea/",
            {"action": "approve", "_selected_action": str(idea.pk), "index": "0"},
        )
        assert status == 302, html[:2000]
        idea.refresh_from_db()
        assert idea.status == IdeaStatus.PUBLISHED

        # … and B's next page shows it at once (no stale cached page), with the photo, which
        # is served from the shared storage.
        status, _, html = anonymous.get(b + "/ideen/")
        assert status == 200 and "Bänke mit Foto" in html
        status, _, html = anonymous.get(f"{b}/ideen/{idea.pk}/")
        assert status == 200
        (src,) = set(re.findall(r'<img[^>]+src="([^"]+\.jpg)"', html))
        with urllib.request.urlopen(src.replace("&amp;", "&"), timeout=5) as response:  # noqa: S310
            image = Image.open(BytesIO(response.read()))
        assert image.format == "JPEG" and not image.getexif()

        if proxy:
            _through_the_proxy(idea, anonymous)

        # The worker sends the mails A and B queued; it is killed while the 16th follower mail
        # is with the mail server, and a new worker sends what was left.
        folder = tmp_path / "mail"
        _wait_for((folder / "hanging").exists, 60, "the worker to reach the 16th follower mail")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        processes.append(_start([sys.executable, "manage.py", "worker"], env, log))
        _wait_for(
            lambda: not OutboxMail.objects.filter(done_at__isnull=True).exists(),
            60,
            "every queued mail to be sent",
        )
        time.sleep(1)
    finally:
        for process in reversed(processes):
            stop(process)
        log.close()

    mails = OutboxMail.objects.all()
    counts = delivered(folder)
    recipients = sorted(address for mail in mails for address in mail.recipients)
    assert sum(counts.values()) == len(mails) == len(counts), (tmp_path / "servers.log").read_text()
    assert set(counts.values()) == {1}  # each mail exactly once
    assert recipients.count(address) == 5  # the five accepted resets, from A and B
    assert len([r for r in recipients if r.startswith("follower")]) == FOLLOWERS
    assert resident.email in recipients  # "your idea is published"


def _start_nginx(tmp_path, log):
    """nginx from deploy/nginx.conf in front of A and B, if Debian's nginx is installed."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else ""
    )
    if not nginx:
        return None
    certificate = self_signed_certificate(tmp_path)
    config = nginx_config_for(
        tmp_path,
        upstreams=[f"127.0.0.1:{PORT_A}", f"127.0.0.1:{PORT_B}"],
        https_port=NGINX_HTTPS,
        http_port=NGINX_HTTP,
        certificate=certificate,
    )
    return _start(
        [
            nginx,
            "-c",
            str(config),
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "nginx-error.log"),
            "-g",
            f"daemon off; pid {tmp_path / 'nginx.pid'};",
        ],
        os.environ.copy(),
        log,
    )


def _through_the_proxy(idea, anonymous):
    proxied = f"https://127.0.0.1:{NGINX_HTTPS}"
    _wait_for(_healthy(f"http://127.0.0.1:{NGINX_HTTP}/nginx-health"), 20, "nginx")
    # Requests go to A and B in turn; every answer is the same portal.
    for _ in range(4):
        status, head, html = anonymous.get(f"{proxied}/ideen/{idea.pk}/")
        assert status == 200 and "Bänke mit Foto" in html
        assert "Strict-Transport-Security" in head  # X-Forwarded-Proto: https reached Django
    status, head, _ = anonymous.get(f"http://127.0.0.1:{NGINX_HTTP}/ideen/")
    assert status == 301 and head["Location"].startswith("https://")
    with urllib.request.urlopen(f"http://127.0.0.1:{NGINX_HTTP}/healthz", timeout=5) as response:  # noqa: S310
        assert response.status == 200
    big = Visitor()
    status, _, _ = big.request(
        f"{proxied}/ideen/neu/",
        {"title": "x"},
        files={"photo": ("gross.jpg", b"\xff" * (13 * 1024 * 1024), "image/jpeg")},
    )
    assert status == 413  # over client_max_body_size: refused by nginx
