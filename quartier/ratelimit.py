"""Rate limits for public forms, counted in the shared cache so every process sees them.

if not rate_limit_ok(request, "idea-submit", limit=5, period=3600, keys=[email]):
    form.add_error(None, RATE_LIMIT_MESSAGE)
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

RATE_LIMIT_MESSAGE = _(
    "Sie haben dieses Formular in kurzer Zeit sehr oft abgeschickt. "
    "Bitte warten Sie eine Weile und versuchen Sie es dann noch einmal."
)


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def _hit(bucket, limit, period):
    window = int(time.time() // period)
    key = "rl:" + hashlib.sha256(f"{bucket}:{window}".encode()).hexdigest()
    cache.add(key, 0, period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, period + 5)
        count = 1
    return count <= limit


def rate_limit_ok(request, action, *, limit, period, keys=()):
    """Count one attempt of `action` for the client's IP and each extra key (e.g. an e-mail).

    Returns False when any of them is over `limit` attempts in the current `period` seconds.
    """
    if not settings.RATELIMIT_ENABLED:
        return True
    buckets = [f"{action}:ip:{client_ip(request)}"]
    buckets += [f"{action}:key:{str(key).strip().lower()}" for key in keys if key]
    results = [_hit(bucket, limit, period) for bucket in buckets]
    return all(results)
