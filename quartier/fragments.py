"""Fragments (rendered sections, computed figures) kept in the shared cache under versioned keys.

The anonymous page cache (quartier.pagecache) keeps whole pages under ONE content version that
goes up with every write anywhere: a rush of supports in Nordstadt makes every page miss. The
parts that cost the most — an area page's sections, the network picture, the whole-city map's
counts per area — are kept here instead, each under the versions of the *scopes* it depends on:

- `area:<id>`: goes up when a row located in that area is written — a row with an `area`
  (ideas, meetings, mood answers, partners), or one hanging off an idea or a meeting (supports,
  comments, answers, registrations, flags, moderation decisions);
- `area:any`: goes up with every `area:<id>` (a page of a list across the city);
- `model:<app>.<model>`: goes up when a row of that model is written (topics; ideas for the
  list's counts, which supports and comments do not change);
- `app:network`, `app:neighbourhoods`: go up with every write of the app (the network picture,
  the area tree and the core team depend on all of their rows);
- `all`: goes up with `everything_changed()` (bulk loads such as seed_bench).

The versions live in the shared cache (CACHE_URL), so every worker sees a bump at once. They go
up when the row is saved and once more after the transaction commits (a fragment rendered
meanwhile from the old rows is never kept under the new version) — the same rule as the page
cache. Writes that send no signal (`queryset.update()`) call `areas_changed()` where they matter;
every fragment also expires after FRAGMENT_CACHE_SECONDS (default 300) as a safety net.
FRAGMENT_CACHE_SECONDS=0 turns fragments off (everything is computed on each request).

    html = fragments.cached("area-section:profile", scopes, lambda: render(...))
"""

import contextlib
import contextvars
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils.functional import Promise, cached_property
from django.utils.translation import get_language

from quartier.localstore import ByteBoundedStore

logger = logging.getLogger(__name__)

PREFIX = "quartier:frag:"
ALL = "all"
# Set by the page cache while it renders a page (quartier.pagecache.PageReads): it notes the
# scopes whose versions the page's fragments asked for, and ignores the SQL a fragment runs
# while it is built (the fragment's scopes cover it).
page_reads = contextvars.ContextVar("quartier_page_reads", default=None)


@contextlib.contextmanager
def _building():
    reads = page_reads.get()
    if reads is not None:
        reads.paused += 1
    try:
        yield
    finally:
        if reads is not None:
            reads.paused -= 1


def _seconds(seconds=None):
    """How long to keep a value: `seconds` or the default; 0 (nothing kept) whenever
    FRAGMENT_CACHE_SECONDS=0 turns fragments off."""
    default = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 300))
    if default <= 0 or seconds is None:
        return default
    return seconds


def area_scope(pk):
    return f"area:{pk}"


def area_model_scope(pk, label):
    """Rows of one model (`label`, "participation.meeting") in one area: raised with the area's
    own scope by each write of such a row (or of a row belonging to one, a registration to its
    meeting's area), and by `areas_changed` (`area_bulk_scope`: no model known). What shows only
    some kinds of an area's rows (its next meetings) is kept under these."""
    return f"area:{pk}:{label}"


def area_bulk_scope(pk):
    """Raised by `areas_changed` only: rows of some model of the area changed without a
    signal. Part of `area_models_scopes`."""
    return f"area:{pk}:*"


def area_models_scopes(area_ids, labels):
    """The scopes of what shows the rows of the models `labels` in `area_ids`."""
    return [
        scope
        for pk in sorted(area_ids)
        for scope in (area_bulk_scope(pk), *(area_model_scope(pk, label) for label in labels))
    ]


# goes up with every `area:<id>`: what shows rows of areas it cannot name before it reads them
# (a page of a list across the city)
ANY_AREA = "area:any"


def app_scope(label):
    return f"app:{label}"


def idea_scope(pk):
    """One idea's own scope: raised by a write of the idea's row or of a row pointing to it
    (its supports, comments, answers, the moderation log's entries about it)."""
    return f"idea:{pk}"


def model_scope(model):
    return f"model:{model._meta.label_lower}"


def version_key(scope):
    return f"{PREFIX}v:{scope}"


# The versions read during the current request: a page asks for the same scopes (`all`, the
# area tree's) for several of its parts, and reads each once. Its own writes forget what they
# raise; a write by someone else meanwhile is seen by the next request (a fragment kept now
# under the older version is one nobody asks for again).
_request_versions = contextvars.ContextVar("quartier_request_versions", default=None)


@receiver(request_started)
def _forget_versions_at_start(**kwargs):
    _request_versions.set({})


@receiver(request_finished)
def _forget_versions_at_end(**kwargs):
    _request_versions.set(None)


def versions(scopes):
    """{scope: version} for `scopes` (and `all`), in one round trip to the cache (none when
    the request has read them all already)."""
    names = sorted({*scopes, ALL})
    if (reads := page_reads.get()) is not None:
        reads.scopes.update(names)
    known = _request_versions.get()
    missing = names if known is None else [name for name in names if name not in known]
    found = {}
    if missing:
        keys = {version_key(name): name for name in missing}
        kept = cache.get_many(list(keys))
        found = {name: kept.get(key, 1) for key, name in keys.items()}
    if known is None:
        return found
    known.update(found)
    return {name: known[name] for name in names}


def raise_versions(keys):
    """Raise each version counter in the shared cache (a missing one, which readers take as 1,
    becomes 2); also used by the page cache for its own version keys. With Redis in one round
    trip (quartier.cache.RedisCache.raise_counters)."""
    keys = list(keys)
    if hasattr(cache, "raise_counters"):
        try:
            cache.raise_counters(keys)
        except Exception:  # the cache is unreachable
            logger.warning("could not raise the versions %s", keys, exc_info=True)
        return
    for key in keys:
        try:
            try:
                cache.incr(key)
            except ValueError:  # no version yet: readers assumed 1
                if not cache.add(key, 2, None):
                    cache.incr(key)
        except Exception:  # the cache is unreachable (or not created yet, during migrate)
            logger.warning("could not raise the version %s", key, exc_info=True)


def _bump_now(scopes):
    if known := _request_versions.get():
        for scope in scopes:
            known.pop(scope, None)
    raise_versions(version_key(scope) for scope in scopes)


_PENDING = "_quartier_fragment_scopes"  # on the connection: scopes to raise after the commit


def _bump_pending():
    scopes = getattr(connection, _PENDING, None) or set()
    setattr(connection, _PENDING, None)
    _bump_now(sorted(scopes))


def bump(*scopes):
    """Make every fragment depending on one of `scopes` stale (now and after the commit: one
    callback per transaction raises everything its writes touched)."""
    scopes = tuple(scopes)
    if not scopes:
        return
    _bump_now(scopes)
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, _PENDING, None)
    registered = pending is not None and any(
        callback is _bump_pending for _ids, callback, _robust in connection.run_on_commit
    )
    if registered:
        pending.update(scopes)
    else:  # the first write of this transaction (or its callback went with a savepoint)
        setattr(connection, _PENDING, set(scopes))
        transaction.on_commit(_bump_pending, robust=True)


def areas_changed(area_ids):
    """Rows of these areas changed without a signal (queryset.update(), bulk writes)."""
    ids = [pk for pk in area_ids if pk is not None]
    if ids:
        bump(ANY_AREA, *(area_scope(pk) for pk in ids), *(area_bulk_scope(pk) for pk in ids))


def area_rows_changed(area_ids, model):
    """Rows of `model` in these areas changed without a signal (an upsert of summary rows)."""
    label = model._meta.label_lower
    ids = [pk for pk in area_ids if pk is not None]
    if ids:
        bump(
            ANY_AREA,
            *(area_scope(pk) for pk in ids),
            *(area_model_scope(pk, label) for pk in ids),
        )


def ideas_changed(idea_ids):
    """These ideas' rows changed without a signal (queryset.update())."""
    scopes = [idea_scope(pk) for pk in idea_ids if pk is not None]
    if scopes:
        bump(*scopes)


def everything_changed():
    """After bulk loads: no fragment computed before is used again."""
    bump(ALL)


def _key(name, scopes, current, per_language):
    text = "|".join(
        [name, (get_language() or "") if per_language else ""]
        + [f"{scope}={current[scope]}" for scope in sorted({*scopes, ALL})]
    )
    return PREFIX + "f:" + hashlib.sha256(text.encode()).hexdigest()


def _settled(value):
    """`value` with its lazy translations (labels of choices, gettext_lazy) made plain text,
    inside dicts, lists and tuples (named ones keep their type). A value kept per language may
    hold them as text; unpickling each lazy one builds a new class (about 0.14 ms each, ten on
    the network page)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _settled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_settled(item) for item in value]
    if type(value) is tuple:
        return tuple(_settled(item) for item in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_settled(item) for item in value))
    return value


# --- the process's own copies ---------------------------------------------------------------
# A kept value's key holds the versions of its scopes: the value under a key never changes, so
# each process keeps the plain ones (text, numbers and lists or dicts of them) it read or built
# for a few seconds (FRAGMENT_LOCAL_SECONDS, at most its own keeping time), and a page whose
# versions it has read takes them from memory instead of another round trip to the shared
# cache and unpickling (several per page). Only time bounds it (what "upcoming" shows moves on
# by itself) and a restart of the shared cache, which starts the versions anew.

_local = ByteBoundedStore(
    lambda: (settings.FRAGMENT_LOCAL_MAX_BYTES, settings.FRAGMENT_LOCAL_MAX_BYTES // 16)
)
_PLAIN = (str, bytes, int, float, bool, type(None))


def _plain_size(value, depth=0):
    """Bytes a plain value holds (roughly), or None when it is not plain (a model instance:
    never shared between requests) or too deeply nested."""
    if isinstance(value, str | bytes):
        return len(value) + 50
    if isinstance(value, _PLAIN):
        return 32
    if depth > 4 or not isinstance(value, list | tuple | dict):
        return None
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    size = 64
    for key, item in items:
        inner = _plain_size(item, depth + 1)
        if inner is None or not isinstance(key, _PLAIN):
            return None
        size += inner + 32
    return size


def _fresh(value):
    """A plain value's lists and dicts anew: callers may change what they are given."""
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_fresh(item) for item in value)
    return value


def _keep_local(key, value, seconds):
    local = min(seconds, int(getattr(settings, "FRAGMENT_LOCAL_SECONDS", 10)))
    if local > 0 and (size := _plain_size(value)) is not None:
        _local.set(key, value, size=size, seconds=local)


def _from_local(key):
    value = _local.get(key)
    return None if value is None else _fresh(value)


def clear_local():
    """For tests: forget this process's copies."""
    _local.clear()


def cached(name, scopes, build, *, seconds=None, per_language=True):
    """`build()`'s value, kept under `name` and the current versions of `scopes`."""
    seconds = _seconds(seconds)
    if seconds <= 0:
        return build()
    try:
        current = versions(scopes)
    except Exception:  # cache unreachable: compute rather than fail
        logger.warning("fragments: no versions", exc_info=True)
        return build()
    key = _key(name, scopes, current, per_language)
    value = _from_local(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        with _building():
            value = build()
        if per_language:
            value = _settled(value)
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.warning("fragments: could not keep %s", name, exc_info=True)
    _keep_local(key, value, seconds)
    return _fresh(value)


def cached_many(entries, build_missing, *, seconds=None, per_language=False):
    """Many values at once: `entries` is {id: (name, scopes)}; `build_missing(ids)` returns
    {id: value} for the ids not kept (every one of them). Two round trips to the cache."""
    seconds = _seconds(seconds)
    if seconds <= 0:
        return build_missing(list(entries))
    try:
        current = versions({scope for _name, scopes in entries.values() for scope in scopes})
        keys = {
            pk: _key(name, scopes, current, per_language) for pk, (name, scopes) in entries.items()
        }
        result = {}
        for pk, key in keys.items():
            value = _from_local(key)
            if value is not None:
                result[pk] = value
        shared = [key for pk, key in keys.items() if pk not in result]
        found = cache.get_many(shared) if shared else {}
    except Exception:
        logger.warning("fragments: no versions", exc_info=True)
        return build_missing(list(entries))
    for pk, key in keys.items():
        if pk not in result and key in found:
            _keep_local(key, found[key], seconds)
            result[pk] = _fresh(found[key])
    missing = [pk for pk in entries if pk not in result]
    if missing:
        with _building():
            built = build_missing(missing)
        if per_language:
            built = {pk: _settled(value) for pk, value in built.items()}
        result.update({pk: _fresh(value) for pk, value in built.items()})
        try:
            cache.set_many({keys[pk]: value for pk, value in built.items()}, seconds)
        except Exception:
            logger.warning("fragments: could not keep %d values", len(built), exc_info=True)
        for pk, value in built.items():
            _keep_local(keys[pk], value, seconds)
    return result


def cached_sections(sections, entry, render):
    """{section.key: HTML ("" for nothing)} of page sections (home page, area pages), each kept
    for its own `cache_seconds` under `entry(section)` = (name, scopes) and per language: two
    round trips to the cache per keeping time, whatever the number of sections."""
    by_seconds = {}
    for section in sections:
        by_seconds.setdefault(section.cache_seconds, []).append(section)
    html = {}
    for seconds, group in by_seconds.items():
        named = {section.key: section for section in group}
        html.update(
            cached_many(
                {key: entry(section) for key, section in named.items()},
                lambda keys, named=named: {key: render(named[key]) or "" for key in keys},
                seconds=seconds,
                per_language=True,
            )
        )
    return html


def kept_cards(objects, *, name, template_name, context_name, scopes, load, own_scope=None):
    """The cards of a list page as HTML, in order, each kept under `name:<pk>`, its row's own
    scope (`own_scope(pk, area_id)`; by default its area's) and `scopes` (what a card shows
    besides its row): a page renders only the cards not kept. `objects` is a list of rows (no
    query) or a QuerySet (one narrow query, ids and areas; `load(pks)` -> {pk: row} reads the
    full rows of the cards not kept)."""
    from django.db.models import QuerySet
    from django.template.loader import get_template

    if isinstance(objects, QuerySet):
        rows = list(objects.values_list("pk", "area_id"))
        found = {}
    else:
        found = {row.pk: row for row in objects}
        rows = [(row.pk, row.area_id) for row in found.values()]
    if not rows:
        return []
    if own_scope is None:
        own_scope = lambda _pk, area_id: area_scope(area_id)  # noqa: E731
    entries = {pk: (f"{name}:{pk}", (own_scope(pk, area_id), *scopes)) for pk, area_id in rows}

    def build(missing):
        rows_of = found or load(missing)
        template = get_template(template_name)
        return {pk: template.render({context_name: rows_of[pk]}) for pk in missing if pk in rows_of}

    cards = cached_many(entries, build, per_language=True)
    return [cards[pk] for pk, _area_id in rows if pk in cards]


# A kept fragment never holds a visitor's CSRF token: its forms are rendered with this one, and
# each response puts its visitor's own token in (only inside the token inputs: a text that
# quotes the placeholder stays as it is, since quotes in texts are escaped).
_CSRF_KEPT = "__quartier_fragment_csrf__"
_CSRF_INPUT = f'name="csrfmiddlewaretoken" value="{_CSRF_KEPT}"'


def render_with_forms(template_name, context, request):
    """`template_name` rendered for a kept fragment; its `{% csrf_token %}` inputs hold a
    placeholder that `with_csrf_token` replaces for each visitor."""
    from django.template.loader import render_to_string

    return render_to_string(template_name, {**context, "csrf_token": _CSRF_KEPT}, request)


def with_csrf_token(html, request):
    """A kept fragment from `render_with_forms` with the visitor's own CSRF token."""
    from django.middleware.csrf import get_token
    from django.utils.safestring import mark_safe

    if _CSRF_INPUT not in html:
        return mark_safe(html)  # noqa: S308 -- our own rendered template
    token = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'
    return mark_safe(html.replace(_CSRF_INPUT, token))  # noqa: S308 -- our own template


def blank_form_html(
    form, template_name="includes/form_fields.html", *, scopes=(), variant="", request=None
):
    """The fields of a form nobody has filled in (unbound, without a person's initial values)
    as HTML, kept per form class, `variant` (e.g. the fields of visitors or of accounts) and
    language until `scopes` change (what its choices offer): rendering a form's widgets costs
    more than the rest of a page. Its one-time keys (quartier.formkeys) are new for every call;
    a bound form (with what was typed, and its errors) or one with initial values is rendered
    each time. `template_name` sees `form` (and the context processors' values with
    `request`); it must not hold a CSRF token."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from quartier import formkeys

    def render():
        return render_to_string(template_name, {"form": form}, request)

    if form.is_bound or form.initial:
        return render()

    def build():
        return formkeys.hide_keys(render().encode()).decode()

    form_class = f"{type(form).__module__}.{type(form).__qualname__}"
    html = cached(f"blank-form:{form_class}:{variant}:{template_name}", scopes, build)
    return mark_safe(formkeys.fill_keys(html.encode()).decode())  # noqa: S308 -- our template


def filter_form_html(name, filterset, template_name, scopes, *, text_fields=("q",), extra=None):
    """A list's filter form (django-filter) as HTML, kept for each choice of the filters under
    `scopes` (what its selects offer): rendering selects of areas and topics costs more than a
    page of results. A text search or a form with errors is rendered each time (no entry per
    typed text)."""
    from django.template.loader import render_to_string

    extra = dict(extra or {})  # a few plain values the template shows besides the form

    def render():
        return render_to_string(template_name, {"filter": filterset, **extra})

    chosen = chosen_filters(filterset, text_fields)
    if chosen is None:
        return render()
    key = hashlib.sha256(repr((chosen, sorted(extra.items()))).encode()).hexdigest()
    return cached(f"filter:{name}:{key}", scopes, render)


class LazyFilterSet:
    """A FilterSet built on first use: `is_bound` and `data` are known without it, so a list
    whose parts are all kept never builds one (django-filter deep-copies every filter for each
    FilterSet: about a millisecond).

    With `choices=(name, scopes)`, `chosen_filters` reads the chosen values without building it
    too, when each of them is one its form offers (`valid_choices`, kept per `name` until
    `scopes` change: what its selects list). `build(data)` makes the FilterSet."""

    def __init__(self, data, build, *, choices=None):
        self.data = data
        self.is_bound = data is not None
        self._build = build
        self._choices = choices
        self.chosen = {}  # chosen_filters' answers, per text fields

    @cached_property
    def built(self):
        return self._build(self.data)

    def valid_choices(self):
        """{form field: the raw values it accepts, or None when it is no choice}, in the form's
        order; None without `choices`."""
        if self._choices is None:
            return None
        name, scopes = self._choices
        return cached(
            f"filter-choices:{name}",
            scopes,
            lambda: _choice_values(self._build(None).form),
            per_language=False,
        )

    def __getattr__(self, name):
        return getattr(self.built, name)


def _choice_values(form):
    from django import forms

    offered = {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            offered[name] = None
            continue
        values = set()
        for value, label in field.choices:
            if isinstance(label, list | tuple):  # a group of choices
                values.update(str(inner) for inner, _label in label)
            else:
                values.add(str(value))
        if not field.required:
            values.add("")
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        offered[name] = (multiple, frozenset(values))
    return offered


def _chosen_from_choices(data, offered, text_fields):
    """`chosen_filters` of `data` when every value is one the form offers as it is written
    (the form would accept it unchanged); None when the form must decide."""
    chosen = []
    for name, choice in offered.items():
        values = data.getlist(name)
        if not values:
            continue
        if choice is None:
            # a field without choices: only an empty text field needs no form
            if name not in text_fields or data.get(name):
                return None
        else:
            multiple, allowed = choice
            # a single select reads the last value, a multiple one all of them
            if any(value not in allowed for value in (values if multiple else values[-1:])):
                return None
        chosen.append((name, values))
    return chosen


def kept_count(key, scopes, count):
    """`count()` kept under `key` (what alone decides the rows counted) and `scopes`."""
    signature = hashlib.sha256(f"key|{key!r}".encode()).hexdigest()
    return cached(f"count:{signature}", scopes, count, per_language=False)


class KeptCountPaginator(Paginator):
    """A Paginator whose `count` (a COUNT over every matching row: it grows with the data) is
    kept under the query's SQL and the versions of `scopes` — the list's own rows change the
    count, not the supports and comments on them.

    `key`, when the caller knows what alone decides the query (the request's parameters, the
    minute), names the count instead of the SQL: building the SQL only to name it costs about
    half a millisecond."""

    def __init__(self, object_list, per_page, *, scopes, key=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.scopes = tuple(scopes)
        self.key = key

    @cached_property
    def count(self):
        if self.key is not None:
            return kept_count(self.key, self.scopes, lambda: Paginator.count.func(self))
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:
            return 0
        signature = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        return cached(
            f"count:{signature}",
            self.scopes,
            lambda: Paginator.count.func(self),
            per_language=False,
        )


def chosen_filters(filterset, text_fields=("q",)):
    """[(field, values)] chosen in a list's filter form (only its own fields, never every
    parameter of the request: see pagecache), or None when what it shows must not be kept: a
    text search (an entry per typed text) or a form with errors. An unbound filter: [] (its
    form is not built)."""
    if not filterset.is_bound:
        return []
    data = filterset.data
    if any(data.get(field) for field in text_fields):
        return None
    if isinstance(filterset, LazyFilterSet):
        # asked for the count's key and again for the form: read once per request
        known = filterset.chosen.get(text_fields, filterset)
        if known is filterset:
            known = filterset.chosen[text_fields] = _chosen_by_form(filterset, text_fields)
        return known
    return _chosen_by_form(filterset, text_fields)


def _chosen_by_form(filterset, text_fields):
    data = filterset.data
    offered = filterset.valid_choices() if isinstance(filterset, LazyFilterSet) else None
    if offered is not None:
        chosen = _chosen_from_choices(data, offered, text_fields)
        if chosen is not None:
            return chosen
    form = filterset.form
    if not form.is_valid():
        return None
    return [(field, data.getlist(field)) for field in form.fields if data.getlist(field)]


def list_key(name, chosen, *extra):
    """What decides the rows of list `name` besides the page number: its chosen filters
    (`chosen_filters`) and `extra`; None when they are not to be kept."""
    if chosen is None:
        return None
    return (name, chosen, extra)


# --- what a written row makes stale (connected to post_save/post_delete/m2m_changed) -------

ALWAYS_APP_WIDE = {"network", "neighbourhoods"}


# set by quartier.apps before a row's area changes: the area it leaves (whose pages showed it)
OLD_AREA_ATTRIBUTE = "_fragments_old_area_id"


def _located_area_ids(instance):
    """The area(s) a written row belongs to: its own `area` (and the one it left), or its
    idea's or meeting's."""
    area_id = getattr(instance, "area_id", None)
    if area_id is not None:
        old = getattr(instance, OLD_AREA_ATTRIBUTE, None)
        return [area_id] if old in (None, area_id) else [area_id, old]
    for field in ("idea", "meeting"):
        related_id = getattr(instance, f"{field}_id", None)
        if related_id is None:
            continue
        cached_related = instance._state.fields_cache.get(field)
        if cached_related is not None and getattr(cached_related, "area_id", None):
            return [cached_related.area_id]
        model = instance._meta.get_field(field).related_model
        return list(model._base_manager.filter(pk=related_id).values_list("area_id", flat=True))
    return None


def _idea_ids(model, instance):
    """The idea a written row is or belongs to."""
    if model._meta.label_lower == "participation.idea":
        return [instance.pk] if instance.pk is not None else []
    idea_id = getattr(instance, "idea_id", None)
    return [idea_id] if idea_id is not None else []


def scopes_for_write(model, instance):
    """The scopes a written row of `model` makes stale."""
    scopes = {model_scope(model)}
    area_ids = _located_area_ids(instance) if instance is not None else None
    if area_ids:
        scopes.update(area_scope(pk) for pk in area_ids)
        scopes.update(area_model_scope(pk, model._meta.label_lower) for pk in area_ids)
        scopes.add(ANY_AREA)
    if instance is not None:
        scopes.update(idea_scope(pk) for pk in _idea_ids(model, instance))
    if model._meta.app_label in ALWAYS_APP_WIDE:
        scopes.add(app_scope(model._meta.app_label))
    return scopes
