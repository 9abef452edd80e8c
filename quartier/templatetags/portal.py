"""The page chrome's tags: the language links of the current page, the chrome blocks kept
rendered per process, and `written_in` for a resident's own words.

Every page pays for base.html (header, navigation twice, language switcher, footer) before its
own content; rendered from scratch that is some 30 `reverse()` calls, six `translate_url()`
calls and a few hundred variable lookups. What depends only on code, settings and the language
is kept here, per process, in the form it was rendered; what is live (the path, the CSRF token)
is put in each time.
"""

import threading

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from quartier.languages import written_in_attributes

register = template.Library()

# Whether a URL name lives under i18n_patterns (its address changes with the language); per
# name, and names are the portal's own (a visitor cannot add one).
_localised_names = {}
# Rendered chrome blocks by (block name, language, URL configuration, the block's key values).
# The keys come from the code (URL names, booleans), never from a visitor's input, so the store
# stays as small as the portal; MAX_CHROME_ENTRIES is a safety net only.
_chrome = {}
_lock = threading.Lock()
MAX_CHROME_ENTRIES = 5000
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
REST_PLACEHOLDER = "\x00rest\x00"


@receiver(setting_changed)
def _forget(**kwargs):
    """Settings changed (tests): URLs, languages or the city's name may differ."""
    _localised_names.clear()
    _chrome.clear()


def _language_prefix(code):
    return "" if code == settings.LANGUAGE_CODE else f"{code}/"


def _to_be_reversed(match):
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def _is_localised(name, match):
    """Whether the pattern named `name` sits under i18n_patterns (so another language means
    another prefix), found once per name by reversing it in two languages."""
    localised = _localised_names.get(name)
    if localised is None:
        other = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        urls = []
        for code in (settings.LANGUAGE_CODE, other):
            with translation.override(code):
                urls.append(reverse(name, args=match.args, kwargs=match.kwargs))
        localised = _localised_names[name] = urls[0] != urls[1]
    return localised


def _swapped_prefixes(request):
    """The current address in every offered language without resolving it six times, as
    ({language: the address's start in it}, the rest, the same in all languages).

    `translate_url()` resolves the address and reverses it per language; for an address that
    is its own canonical form (reversing its match gives it back) and lives under
    i18n_patterns, that is the address with the language prefix swapped (outside
    i18n_patterns: the address itself). None when that does not hold (404 pages, non-ASCII or
    non-canonical addresses): then `translate_url()` answers."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name or len(settings.LANGUAGES) < 2:
        return None
    full_path = request.get_full_path()
    path, _sep, _query = full_path.partition("?")
    if path != request.path or path != escape_uri_path(request.path):
        return None
    name = _to_be_reversed(match)
    try:
        if reverse(name, args=match.args, kwargs=match.kwargs) != path:
            return None
        localised = _is_localised(name, match)
    except NoReverseMatch:
        return None
    if not localised:
        return dict.fromkeys((code for code, _name in settings.LANGUAGES), ""), full_path
    script_prefix = get_script_prefix()
    prefix = f"{script_prefix}{_language_prefix(translation.get_language())}"
    if not full_path.startswith(prefix):
        return None
    prefixes = {
        code: f"{script_prefix}{_language_prefix(code)}" for code, _name in settings.LANGUAGES
    }
    return prefixes, full_path[len(prefix) :]


class LanguageLinks(list):
    """The language links, and for the chrome store (`{% chrome_languages %}`) their shape:
    the same links with a placeholder for the address's rest, which is put in (escaped) after
    the block is taken from the store. `shape` None: not stored (translate_url's answers)."""

    shape = None
    rest = ""
    with_placeholder = ()


def _links(urls, current):
    return [
        {
            "code": code,
            "name": name,
            "dir": "rtl" if get_language_info(code)["bidi"] else "ltr",
            "url": urls[code],
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every offered language: (code, name in that language, its writing
    direction, url, is_current)."""
    request = context.get("request")
    current = context.get("LANGUAGE_CODE")
    swapped = _swapped_prefixes(request) if request is not None else None
    if swapped is None:
        path = request.get_full_path() if request else "/"
        return LanguageLinks(
            _links({code: translate_url(path, code) for code, _name in settings.LANGUAGES}, current)
        )
    prefixes, rest = swapped
    links = LanguageLinks(
        _links({code: f"{start}{rest}" for code, start in prefixes.items()}, current)
    )
    links.shape = (current, *prefixes.values())
    links.rest = rest
    links.with_placeholder = _links(
        {code: f"{start}{REST_PLACEHOLDER}" for code, start in prefixes.items()}, current
    )
    return links


def _stored(key, nodelist, context, **placeholders):
    """The block stored under `key`, rendered (with `placeholders` in the context) if missing."""
    html = _chrome.get(key)
    if html is None:
        with context.push(**placeholders):
            html = nodelist.render(context)
        with _lock:
            if len(_chrome) >= MAX_CHROME_ENTRIES:
                _chrome.clear()
            _chrome[key] = html
    return html


def _rendering(context):
    """What every stored block depends on besides its own key: the language and the URL
    configuration (looked up once per page: each is a context-local variable)."""
    state = context.render_context.get(_rendering)
    if state is None:
        state = context.render_context[_rendering] = (
            translation.get_language(),
            get_urlconf(),
            get_script_prefix(),
        )
    return state


class ChromeNode(template.Node):
    def __init__(self, name, key, nodelist):
        self.name = name
        self.key = key
        self.nodelist = nodelist

    def render(self, context):
        token = context.get("csrf_token")  # lazy: not evaluated unless the block has a form
        key = (
            self.name,
            token is not None,
            *_rendering(context),
            *(value.resolve(context) for value in self.key),
        )
        html = _stored(
            key, self.nodelist, context, csrf_token=CSRF_PLACEHOLDER if token is not None else None
        )
        if CSRF_PLACEHOLDER in html:
            parts = html.split(CSRF_PLACEHOLDER)
            html = parts[0] + "".join(f"{token}{part}" for part in parts[1:])
        return mark_safe(html)  # noqa: S308 -- rendered by the template engine, escaped there


@register.tag
def chrome(parser, token):
    """`{% chrome "name" value… %}…{% endchrome %}`: the block rendered once per process for
    each language and each combination of the values named (they must be all it depends on
    besides code, settings and the language; a CSRF token inside is put in fresh each time).
    Never name a value a visitor controls (a path, a query): it would grow the store."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("chrome needs a name")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


class LanguagesNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        links = context.get("languages")
        if links is None or getattr(links, "shape", None) is None:
            return self.nodelist.render(context)
        key = (self.name, *_rendering(context), *links.shape)
        html = _stored(key, self.nodelist, context, languages=links.with_placeholder)
        return mark_safe(html.replace(REST_PLACEHOLDER, conditional_escape(links.rest)))  # noqa: S308


@register.tag
def chrome_languages(parser, token):
    """`{% chrome_languages "name" %}…{% endchrome_languages %}`: a block showing `languages`
    (from `{% language_links as languages %}`) and otherwise depending only on code, settings
    and the language, stored once per language; the current address is put into its links."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("chrome_languages needs a name")
    nodelist = parser.parse(("endchrome_languages",))
    parser.delete_first_token()
    return LanguagesNode(bits[1], nodelist)


@register.filter
def written_in(contribution):
    """` lang="…" dir="auto"` for an element holding a resident's own words: screen readers
    pronounce them in their language, and Arabic text runs right to left in any page."""
    return written_in_attributes(contribution)
