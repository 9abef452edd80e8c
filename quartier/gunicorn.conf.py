"""gunicorn configuration (Dockerfile and tests): gunicorn -c quartier/gunicorn.conf.py"""

import multiprocessing
import os

wsgi_app = "quartier.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycling workers after N requests guards against leaks but costs a worker boot each time
# (at 700 req/s, N=2000 meant a restart every few seconds and p99 spikes in the benchmark):
# off by default, switch on with GUNICORN_MAX_REQUESTS if a leak ever shows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# gunicorn never takes REMOTE_ADDR from X-Forwarded-For (the portal does that itself, for
# TRUSTED_PROXIES only: quartier.ratelimit.client_ip); these peers may only set the scheme
# (X-Forwarded-Proto -> wsgi.url_scheme). By default the same proxies the portal trusts.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"
)


def post_worker_init(worker):
    """The objects made while the worker loads the portal (modules, settings, models, URL
    patterns) live as long as it does. Freezing them (gc.freeze) keeps the garbage collector's
    full passes to what requests leave behind: without it, each full pass walked ~180,000
    objects (~50 ms, a p99 spike) on a page that costs 5 ms. GC_FREEZE=0 turns it off."""
    if os.environ.get("GC_FREEZE", "1") != "0":
        import gc

        gc.collect()
        gc.freeze()
