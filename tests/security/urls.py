"""Walk every URL pattern of the portal and build a concrete path for it."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {
    "int": "1",
    "slug": "beispiel",
    "str": "beispiel",
    "path": "1",
    "uuid": None,
    "open311format": "json",
}


def _pattern_text(pattern):
    return str(pattern.pattern)


def _fill(route):
    """Turn a route ('ideen/<int:pk>/') or a regex ('^(?P<app_label>auth)/...') into a path."""

    def converter(match):
        kind = match.group(1) or "str"
        return SAMPLE.get(kind) or "1"

    text = route
    if text.startswith("^") or "(?P" in text or "\\" in text:
        # Admin regexes, e.g. ^(?P<app_label>auth|quartier)/$: take the first alternative.
        text = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", r"\1", text)
        text = text.replace("^", "").replace("$", "").replace("\\", "")
        text = re.sub(r"\(\?:[^)]*\)\??", "", text)
    return re.sub(r"<(?:(\w+):)?\w+>", converter, text)


def walk(resolver=None, prefix=""):
    """Yield (path, callback, name) for every concrete pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, prefix + _fill(_pattern_text(pattern)))
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + _fill(_pattern_text(pattern)), pattern.callback, pattern.name


def all_paths():
    return [(path.replace("//", "/"), callback, name) for path, callback, name in walk()]
