"""Reports computed once and shared by every worker through the cache (CACHE_URL).

A report over all areas reads tens of thousands of rows (0.5–0.8 s at 100,000 ideas); several
staff members opening it at once, or one paging through the exports, should not compute it
again each time. A computed report is kept under a key of its areas, period and language,
together with the content version it was computed at (quartier/pagecache.py: the version goes
up with every change). It is served again

- as long as nothing has changed since (quiet days: computed once), or
- for REPORT_CACHE_SECONDS after it was computed even if something changed (a rush of
  submissions does not make every view compute it again). The page says when it was computed.

The rendered sections of the page are kept beside it (`{% cache %}` in the template, keyed by
the report's key and the time it was computed), so serving a kept report costs a few
milliseconds, not the tables and charts rendered again.

When an outdated report must be computed again, one request does it while the others are
served the outdated one (a short lock in the cache), so a crowd never computes it together.
REPORT_CACHE_SECONDS=0 turns this off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from quartier.pagecache import content_version

from .build import Report, build_report

KEEP_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 60


def report_key(scope, period):
    areas = "all" if scope.area_ids is None else ",".join(map(str, sorted(scope.area_ids)))
    groups = ",".join(f"{pk}:{group}" for pk, group in sorted(scope.group_of.items()))
    text = "|".join(
        [
            areas,
            str(scope.area.pk if scope.area else ""),
            groups,
            period.start.isoformat(),
            period.end.isoformat(),
            get_language() or "",
        ]
    )
    return "quartier:report:" + hashlib.sha256(text.encode()).hexdigest()


def _from_entry(scope, period, key, entry):
    return Report(
        scope=scope,
        period=period,
        created=entry["created"],
        sections=entry["sections"],
        cache_token=f"{key}:{entry['created'].timestamp()}",  # the rendered page's key too
    )


def cached_report(scope, period):
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return build_report(scope, period)
    key = report_key(scope, period)
    lock = key + ":lock"
    version = content_version()
    entry = cache.get(key)
    locked = False
    if entry is not None:
        age = (timezone.now() - entry["created"]).total_seconds()
        if entry["version"] == version or age < seconds:
            return _from_entry(scope, period, key, entry)
        if not cache.add(lock, 1, LOCK_SECONDS):
            return _from_entry(scope, period, key, entry)  # another request is computing it
        locked = True
    try:
        report = build_report(scope, period)
        entry = {"version": version, "created": report.created, "sections": report.sections}
        cache.set(key, entry, KEEP_SECONDS)
    finally:
        if locked:  # never another request's lock
            cache.delete(lock)
    return _from_entry(scope, period, key, entry)
