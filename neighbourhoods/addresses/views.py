"""`/quartiere/adressen.json?q=…`: suggestions for the address combobox."""

import hashlib

from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from quartier.ratelimit import rate_limit_ok

from .normalise import MAX_QUERY_LENGTH, Query
from .selectors import register_version, suggest

SUGGEST_CACHE_SECONDS = 300
# Typing sends a request per pause; a person types far fewer than this in a minute.
SUGGEST_LIMIT_PER_MINUTE = 120


@require_GET
def address_suggestions(request):
    """{"results": [{"kind", "label", "value", "lng", "lat", "area"}…]}: at most ten.

    Anything over MAX_QUERY_LENGTH characters is cut there; control characters count as
    spaces. Answers are cached by the normalised query and the register's version."""
    text = request.GET.get("q", "")[: MAX_QUERY_LENGTH * 4]
    if not rate_limit_ok(request, "address-suggest", limit=SUGGEST_LIMIT_PER_MINUTE, period=60):
        return JsonResponse({"results": [], "error": "rate-limited"}, status=429)
    query = Query(text)
    digest = hashlib.sha256(f"{query.key}|{query.postcode}".encode()).hexdigest()[:32]
    key = f"addresses:suggest:{register_version()}:{digest}"
    results = cache.get(key)
    if results is None:
        results = suggest(query.text)
        cache.set(key, results, SUGGEST_CACHE_SECONDS)
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, max-age=60"
    return response
