"""The Dockerfile's steps, run outside Docker (no Docker engine here): collectstatic with
production settings, gunicorn from quartier/gunicorn.conf.py answering /healthz and serving
hashed static files through whitenoise, and the HEALTHCHECK command itself. Also `manage.py
demo` on a fresh database, twice."""

import json
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.quartier.test_request_size import post_start, send_and_read

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
BIN = Path(sys.executable).parent


def _clean_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _run(command, env, timeout=120):
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _dockerfile_step(pattern):
    match = re.search(pattern, DOCKERFILE)
    assert match, f"Dockerfile has no step matching {pattern!r}"
    return match.group(1)


def test_dockerfile_runs_the_code_from_the_app_folder():
    # A plain `pip install .` would import quartier from site-packages, without templates.
    assert "pip install -e ." in DOCKERFILE
    assert "USER quartier" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE


@pytest.mark.slow
def test_dockerfile_steps_collectstatic_gunicorn_and_healthcheck(tmp_path):
    port = _free_port()
    env = _clean_env(
        DEBUG="0",
        SECRET_KEY="production-test-" + "k" * 50,
        ALLOWED_HOSTS="quartier.example.org",
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="",
    )
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)

    # RUN … && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
    collect = _dockerfile_step(r"&& SECRET_KEY=\S+ (python manage\.py collectstatic[^\n\\]*)")
    _run([sys.executable, *shlex.split(collect)[1:]], env)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/quartier.css"]
    assert hashed_css != "css/quartier.css"

    # CMD ["gunicorn", "-c", "quartier/gunicorn.conf.py"]
    command = json.loads(_dockerfile_step(r"\nCMD (\[.*\])"))
    assert command[0] == "gunicorn"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *command[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, _, _ = _get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert status == 200, "gunicorn did not answer /healthz"

        # HEALTHCHECK … CMD python -c "…http://127.0.0.1:8000/healthz…"
        check = _dockerfile_step(r"HEALTHCHECK[^\n]*\\\n\s*CMD (python -c .*)\n")
        check = check.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        _run([sys.executable, *shlex.split(check)[1:]], env, timeout=15)

        proxied = {"Host": "quartier.example.org", "X-Forwarded-Proto": "https"}
        status, headers, body = _get(base + "/", proxied)
        assert status == 200
        assert "Strict-Transport-Security" in headers
        assert b"/static/" + hashed_css.encode() in body
        status, headers, _ = _get(base + "/impressum/", proxied)
        assert status == 200

        status, headers, body = _get(
            base + "/static/" + hashed_css, {**proxied, "Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers.get("Cache-Control", "")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]

        status, headers, _ = _get(base + "/healthz")  # by IP, over plain HTTP
        assert status == 200
        assert headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in headers["Content-Security-Policy"]

        # gunicorn reached directly (Docker's published port): a 200 MB body is refused
        # from its Content-Length while the client has sent only its start
        start = post_start(
            "/ideen/neu/", "quartier.example.org", announced=200 * 1024 * 1024, sent=512 * 1024
        )
        status, headers, body = send_and_read(("127.0.0.1", port), start)
        assert status == 413
        assert "12,0" in body.decode()

        status, headers, _ = _get(base + "/", {"Host": "quartier.example.org"})
        assert status == 301
        assert headers["Location"].startswith("https://quartier.example.org/")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _snapshot(db_path):
    with sqlite3.connect(db_path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in {"quartier_cache", "django_session"}
        ]
        counts = {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
        users = connection.execute(
            "SELECT username, password, email, is_staff FROM quartier_user ORDER BY username"
        ).fetchall()
        memberships = connection.execute(
            "SELECT user_id, group_id FROM quartier_user_groups ORDER BY user_id, group_id"
        ).fetchall()
    return counts, users, memberships


@pytest.mark.slow
def test_demo_twice_on_a_fresh_database_changes_nothing_the_second_time(tmp_path):
    db_path = tmp_path / "demo.sqlite3"
    env = _clean_env(DATABASE_URL=f"sqlite:///{db_path}")
    first = _run([sys.executable, "manage.py", "demo", "--no-serve"], env, timeout=180)
    assert "quartier-demo" in first.stdout
    counts, users, memberships = _snapshot(db_path)
    usernames = [user[0] for user in users]
    for name in ["koordination", "qm-innenstadt", "qm-suedstadt", "qm-nordstadt", "bewohnerin"]:
        assert name in usernames
    _run([sys.executable, "manage.py", "demo", "--no-serve"], env, timeout=180)
    assert _snapshot(db_path) == (counts, users, memberships)


@pytest.mark.django_db
def test_healthz_answers_load_balancers_by_ip_over_http(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["quartier.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_readme_documents_every_environment_variable():
    sources = (ROOT / "quartier" / "settings.py").read_text() + (
        ROOT / "quartier" / "gunicorn.conf.py"
    ).read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', sources))
    assert {"DATABASE_URL", "SECRET_KEY", "MAP_ATTRIBUTION", "GUNICORN_BIND"} <= names
    readme = (ROOT / "README.md").read_text()
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == [], f"README's configuration table lacks {missing}"
