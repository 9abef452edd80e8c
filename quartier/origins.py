from urllib.parse import urlsplit


def origin_of(url):
    """scheme://host[:port] of an absolute URL; "" for a relative one (the portal's own)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
