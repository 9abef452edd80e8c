from urllib.parse import urlsplit


def origin_of(url):
    """scheme://host[:port] of an absolute URL; "" for a relative one (the portal's own)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def embed_origins(items):
    """EMBED_ORIGINS: each item exactly scheme://host[:port] (http or https, no path, query,
    user or wildcard), as CSP `frame-ancestors` takes it; a clear error for anything else."""
    from django.core.exceptions import ImproperlyConfigured

    origins = []
    for item in items:
        try:
            parts = urlsplit(item)
            port = parts.port  # a port that is not a number raises ValueError
        except ValueError:
            parts, port = None, None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("",)
            or parts.query
            or parts.fragment
            or parts.username is not None
            or "*" in item
            or any(char.isspace() or char in ";,'\"" for char in item)
        ):
            raise ImproperlyConfigured(
                f"EMBED_ORIGINS: {item!r} is not an origin; write scheme://host[:port], "
                "e.g. https://www.example.de or http://localhost:8080 (no path, no slash at "
                "the end), several separated by commas."
            )
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        origins.append(f"{parts.scheme}://{host}" + (f":{port}" if port is not None else ""))
    return origins
