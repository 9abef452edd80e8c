"""Who the visitor is behind the reverse proxy: TRUSTED_PROXIES and X-Forwarded-For."""

import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from quartier.ratelimit import client_ip, client_network
from quartier.settings import proxy_networks

ROOT = Path(__file__).resolve().parents[2]


def ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.7") == "203.0.113.7"
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert ip("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_behind_the_readme_nginx_each_visitor_is_themselves(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert ip("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert ip("127.0.0.1", "198.51.100.2") == "198.51.100.2"
    # nginx's $proxy_add_x_forwarded_for appends to what the visitor sent: only the right end
    # is nginx's own word.
    assert ip("127.0.0.1", "10.0.0.1, 1.1.1.1, 198.51.100.3") == "198.51.100.3"


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert ip("203.0.113.9", "127.0.0.1") == "203.0.113.9"
    assert ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_skipped_from_the_right(settings):
    settings.TRUSTED_PROXIES = proxy_networks(["127.0.0.1", "10.0.0.0/8"])
    # visitor -> load balancer 10.0.0.5 -> nginx 127.0.0.1 -> gunicorn
    assert ip("127.0.0.1", "spoofed, 198.51.100.4, 10.0.0.5") == "198.51.100.4"
    # every hop is a trusted proxy: the one furthest away is the best we know
    assert ip("127.0.0.1", "10.0.0.7, 10.0.0.5") == "10.0.0.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("", "127.0.0.1"),
        (",,,", "127.0.0.1"),
        ("unknown", "127.0.0.1"),
        ("<script>alert(1)</script>", "127.0.0.1"),
        ("198.51.100.1, not-an-ip", "127.0.0.1"),
        ("999.1.1.1", "127.0.0.1"),
        ("x" * 8000, "127.0.0.1"),
        (", ".join(["198.51.100.1"] * 500), "198.51.100.1"),
        ("198.51.100.5:4711", "198.51.100.5"),
        ('"198.51.100.6"', "198.51.100.6"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("\x00\x1b\n", "127.0.0.1"),
    ],
)
def test_garbage_in_the_header_never_breaks(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert ip("127.0.0.1", forwarded) == expected


def test_odd_remote_addr(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("") == ""
    assert ip("/run/gunicorn.sock") == ""
    assert ip("::ffff:203.0.113.7") == "203.0.113.7"
    # a unix socket peer is the proxy when there is one
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert ip("", "198.51.100.1") == "198.51.100.1"
    assert ip("", "junk") == ""


def test_ipv6_visitors_count_by_their_64_network(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert client_network(request) == "2001:db8:1:2::/64"
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    assert client_network(request) == "203.0.113.7"


def test_untrusted_local_proxy_is_logged_once(settings, caplog):
    import quartier.ratelimit

    quartier.ratelimit._warned_untrusted_proxy = False
    settings.TRUSTED_PROXIES = []
    ip("127.0.0.1", "198.51.100.1")
    ip("127.0.0.1", "198.51.100.2")
    ip("203.0.113.1", "198.51.100.2")  # a visitor sending the header is not worth a line
    messages = [r.getMessage() for r in caplog.records if "TRUSTED_PROXIES" in r.getMessage()]
    assert len(messages) == 1
    assert "127.0.0.1" in messages[0]


def test_setting_refuses_what_is_no_address():
    assert proxy_networks(["127.0.0.1", "10.0.0.0/8", "::1", "192.168.1.7/24"]) == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
        "192.168.1.0/24",
    ]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        proxy_networks(["nginx.local"])
    with pytest.raises(ImproperlyConfigured):
        proxy_networks(["*"])


def _gunicorn_config(monkeypatch, **env):
    for name in ["FORWARDED_ALLOW_IPS", "TRUSTED_PROXIES"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", ROOT / "quartier/gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_trusts_the_same_proxies_for_the_scheme(monkeypatch):
    """gunicorn never rewrites REMOTE_ADDR; FORWARDED_ALLOW_IPS only decides whose
    X-Forwarded-Proto sets wsgi.url_scheme. By default it names the same proxies."""
    assert _gunicorn_config(monkeypatch).forwarded_allow_ips == "127.0.0.1"
    config = _gunicorn_config(monkeypatch, TRUSTED_PROXIES="10.0.0.2,10.1.0.0/16")
    assert config.forwarded_allow_ips == "10.0.0.2,10.1.0.0/16"
    config = _gunicorn_config(
        monkeypatch, TRUSTED_PROXIES="10.0.0.2", FORWARDED_ALLOW_IPS="10.0.0.3"
    )
    assert config.forwarded_allow_ips == "10.0.0.3"
