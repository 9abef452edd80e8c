from urllib.parse import urlsplit

from django import template

from network.models import SAFE_URL_SCHEMES

register = template.Library()


@register.filter
def safe_url(value):
    """The URL if it is an absolute http(s) URL, else "" — never a javascript:/data: link."""
    url = str(value or "").strip()
    if not url or any(ord(char) < 32 for char in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
        return ""
    return url
