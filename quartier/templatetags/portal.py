from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from quartier.languages import written_in_attributes

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every offered language: (code, name in that language, its writing
    direction, url, is_current)."""
    request = context.get("request")
    current = context.get("LANGUAGE_CODE")
    path = request.get_full_path() if request else "/"
    links = []
    for code, name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": name,
                "dir": "rtl" if get_language_info(code)["bidi"] else "ltr",
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def written_in(contribution):
    """` lang="…" dir="auto"` for an element holding a resident's own words: screen readers
    pronounce them in their language, and Arabic text runs right to left in any page."""
    return written_in_attributes(contribution)
