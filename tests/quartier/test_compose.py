"""compose.yaml and deploy/nginx.conf, checked without Docker: the services and their health
checks, the settings they read, each service's command and health check run as processes here
(as test_production.py does for the Dockerfile), and nginx's own `nginx -t` on the config."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # PyYAML comes with moto[server], a test dependency

from .test_tasks import _wait_for, stop

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
NGINX_CONF = (ROOT / "deploy" / "nginx.conf").read_text()
ENV_EXAMPLE = ROOT / "deploy" / "quartier.env.example"
APP_PORT = 8303


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")


def self_signed_certificate(tmp_path):
    folder = tmp_path / "certs"
    folder.mkdir(exist_ok=True)
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed for a test certificate")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return folder


def nginx_config_for(tmp_path, *, upstreams, https_port, http_port, certificate):
    """deploy/nginx.conf with what only exists inside compose replaced: the application
    containers' names, the ports (127.0.0.1 only) and the certificate and media folders."""
    text = NGINX_CONF
    for name, upstream in zip(["app1:8000", "app2:8000"], upstreams, strict=True):
        assert f"server {name}" in text
        text = text.replace(f"server {name}", f"server {upstream}")
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = text.replace("/etc/nginx/certs/", f"{certificate}/")
    text = text.replace("/srv/quartier/media/", f"{tmp_path / 'media'}/")
    path = tmp_path / "nginx.conf"
    path.write_text(text)
    return path


def test_compose_has_every_service_each_with_a_health_check():
    assert set(SERVICES) == {"nginx", "app1", "app2", "worker", "migrate", "postgres", "redis"}
    for name, service in SERVICES.items():
        if name == "migrate":  # runs once and exits; the others wait for it to succeed
            assert service["healthcheck"] == {"disable": True}
            continue
        assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert service.get("restart") == "unless-stopped", name
    for app in ("app1", "app2", "worker"):
        assert SERVICES[app]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert "media:/app/media" in SERVICES[app]["volumes"]
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert SERVICES["nginx"]["depends_on"]["app1"]["condition"] == "service_healthy"
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in SERVICES["nginx"]["volumes"]
    assert "media:/srv/quartier/media:ro" in SERVICES["nginx"]["volumes"]


def test_every_setting_compose_sets_is_documented():
    readme = (ROOT / "README.md").read_text()
    environment = SERVICES["app1"]["environment"]
    assert SERVICES["worker"]["environment"] == environment == SERVICES["app2"]["environment"]
    assert environment["DEBUG"] == "0" and environment["TASKS_BACKEND"] == "database"
    assert environment["CACHE_URL"].startswith("redis://redis:")
    assert environment["DATABASE_URL"].startswith("postgres://quartier:")
    names = set(environment) | set(_env_file())
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == [], f"README does not explain {missing}"


def test_nginx_config_has_the_readme_proxy_settings():
    assert "client_max_body_size 12m;" in NGINX_CONF
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in NGINX_CONF
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX_CONF
    assert "proxy_set_header Host $host;" in NGINX_CONF
    assert "location /media/" in NGINX_CONF and "nosniff" in NGINX_CONF
    assert "return 301 https://$host$request_uri;" in NGINX_CONF
    assert "location = /nginx-health" in NGINX_CONF
    health = " ".join(SERVICES["nginx"]["healthcheck"]["test"])
    assert "http://127.0.0.1/nginx-health" in health


def test_nginx_accepts_the_config(tmp_path):
    nginx = nginx_binary()
    if not nginx:
        pytest.skip("Debian's nginx is not installed (apt-get install nginx-light)")
    config = nginx_config_for(
        tmp_path,
        upstreams=["127.0.0.1:8301", "127.0.0.1:8302"],
        https_port=8310,
        http_port=8311,
        certificate=self_signed_certificate(tmp_path),
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(config), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-g", f"pid {tmp_path / 'nginx.pid'};"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def _env_file():
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip().removeprefix("# ")
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def _command(service, replacements=()):
    command = list(SERVICES[service]["command"])
    if command[0] == "python":
        command[0] = sys.executable
    for old, new in replacements:
        command = [part.replace(old, new) for part in command]
    return command


def _healthcheck(service, replacements=(), extra=()):
    kind, *command = SERVICES[service]["healthcheck"]["test"]
    if kind == "CMD-SHELL":
        command = shlex.split(command[0])
    if command[0] == "python":
        command[0] = sys.executable
    for old, new in replacements:
        command = [part.replace(old, new) for part in command]
    command[1:1] = extra
    return subprocess.run(command, capture_output=True, text=True, timeout=30).returncode


@pytest.mark.slow
def test_compose_commands_and_health_checks_run_outside_docker(tmp_path):
    """Each service's command with the environment compose gives it (only the other
    containers' addresses replaced by local ones), and its health check against it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(_env_file())
    env.update(SERVICES["app1"]["environment"])
    env.update(
        SECRET_KEY="compose-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",  # the postgres container
        CACHE_URL="locmem://",  # the redis container
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUNICORN_BIND=f"127.0.0.1:{APP_PORT}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    migrate = subprocess.run(
        _command("migrate"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert migrate.returncode == 0, migrate.stderr

    heartbeat = tmp_path / "worker-alive"
    on_host = [("/tmp/worker-alive", str(heartbeat)), ("127.0.0.1:8000", f"127.0.0.1:{APP_PORT}")]
    log = open(tmp_path / "services.log", "wb")  # noqa: SIM115 - closed in finally
    started = []
    try:
        assert _healthcheck("worker", on_host) != 0  # no heartbeat yet: unhealthy
        for service in ("app1", "worker"):
            started.append(
                subprocess.Popen(
                    _command(service, on_host),
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait_for(lambda: _healthcheck("app1", on_host) == 0, 60, "app1's health check")
        _wait_for(heartbeat.exists, 60, "the worker's heartbeat")
        assert _healthcheck("worker", on_host) == 0
    finally:
        for process in started:
            stop(process)
        log.close()
    # The database's and the cache's checks, against the local servers (inside their containers
    # they use the default socket; here the TCP port on 127.0.0.1).
    if shutil.which("pg_isready") and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert _healthcheck("postgres", extra=["-h", "127.0.0.1"]) == 0
    if shutil.which("redis-cli") and os.environ.get("CACHE_URL", "").startswith("redis"):
        assert _healthcheck("redis", extra=["-h", "127.0.0.1"]) == 0
