"""Published ideas that look like one being written — offered before it duplicates one.

Candidates are public, not already merged ideas in the same area (including its sub-areas) or
within about `NEAR_METRES` of the chosen point. On PostgreSQL, bounded by limits rather than by
the number of ideas: the `TITLE_MATCHES` titles nearest to the typed one in each area of the
place and near the point, read nearest first from GiST trigram indexes that stop after the
LIMIT (migration 0027; an old idea with the same title is still found), and the newest
`TEXT_CANDIDATES` ideas of each area, whose texts are compared too; all of them are ranked by
`pg_trgm` similarity of title and text (the extension comes with migration 0007). Elsewhere
(SQLite) the newest `CANDIDATES` of the place are ranked by the overlap (Jaccard) of normalised
German words without stop words. Always a fixed number of queries, whatever the number of ideas.

`own_pending_ideas` looks at the other side: the submitter's own contributions that are not
public yet (waiting for their confirmation link or for moderation), so a resident who sends the
same thing again is told "you already submitted this" instead of making a second one.
"""

import re
import unicodedata
from collections import namedtuple

from django.db import connection
from django.db.models import Q

from neighbourhoods.geometry import box_around, distance_m, point_lng_lat
from neighbourhoods.lookup import area_id_for_point
from neighbourhoods.models import Area, area_geometry
from neighbourhoods.selectors import area_names, area_tree

from .models import LISTED_SQL, LISTED_SQL_PARAMS, Idea, IdeaStatus, in_box

NEAR_METRES = 500
LIMIT = 5
MIN_TITLE_LENGTH = 4
# ranking on SQLite: at most this many newest candidates are compared in Python
CANDIDATES = 400
# ranking on PostgreSQL: texts (long) are compared for this many newest ideas of each area
# (titles of all of them are searched). Comparing a text costs some 60 µs in pg_trgm: 40 texts
# were a third of the database's work per request; 20 found the same look-alikes in the
# benchmark's data, where titles share most of their words.
TEXT_CANDIDATES = 20
# ... and titles nearest to the typed one: this many from each part of the place
TITLE_MATCHES = 20
WORD_THRESHOLD = 0.2
TRIGRAM_THRESHOLD = 0.3

_STOP_WORDS_TEXT = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
auch auf aus bei beim bin bis bitte bist da damit dann das dass daß dem den denn der des dessen
die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines
er es etwas euch für gegen gibt hat hatte haben hier hin hinter ich ihr ihre im in ins ist ja
jede jedem jeden jeder jedes kann kein keine keinem keinen keiner man mehr mein meine mit muss
müssen nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll sollte
sollten über um und uns unser unsere unter viel vom von vor war waren was weil wenn wer werden
wie wir wird wo zu zum zur zwischen
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def normalise_words(text):
    """Lower-cased word stems without stop words ('Spielplätze' → 'spielplatz')."""
    words = set()
    for word in _WORD.findall((text or "").lower()):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        word = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
        word = "".join(char for char in word if not unicodedata.combining(char))
        for suffix in ("ungen", "ung", "en", "er", "e", "n", "s"):
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        words.add(word)
    return words


def jaccard(first, second):
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _near(idea, lng, lat):
    if idea.lng is None or idea.lat is None:
        return False
    return distance_m(lng, lat, idea.lng, idea.lat) <= NEAR_METRES


def similar_ideas(*, title, text="", area=None, location=None, exclude_pk=None, limit=LIMIT):
    """Up to `limit` listed ideas resembling `title`/`text` near `location` or in `area` (an
    Area or its id)."""
    title = " ".join((title or "").split())[:160]
    text = (text or "")[:5000]
    if len(title) < MIN_TITLE_LENGTH:
        return []
    point = point_lng_lat(location)
    if point is not None and area is None:
        area = area_id_for_point(*point)  # its id is all that is needed (no row read)
    place = Q()
    area_ids = area_tree().descendant_ids(area, with_successors=True) if area is not None else set()
    if area_ids:
        place |= Q(area_id__in=area_ids)
    if point is not None:
        place |= in_box(*box_around(*point, NEAR_METRES))
    if not place:
        return []
    listed = Idea.objects.listed()
    if exclude_pk:
        listed = listed.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        box = box_around(*point, NEAR_METRES) if point is not None else None
        ranked = _rank_trigram(title, text, area_ids=area_ids, box=box, exclude_pk=exclude_pk)
        return _shown(_of_place(ranked, area_ids, point, limit))
    candidates = listed.filter(place).select_related("area").defer(*area_geometry("area"))
    return _of_place(_rank_words(candidates, title, text), area_ids, point, limit)


def _of_place(ranked, area_ids, point, limit):
    """The first `limit` of `ranked` in the place: its areas or within NEAR_METRES of the
    point (the box the candidates came from reaches further in its corners)."""
    result = []
    for idea in ranked:
        if idea.area_id in area_ids or (point is not None and _near(idea, *point)):
            result.append(idea)
        if len(result) >= limit:
            break
    return result


def _shown(ranked):
    """The ideas of `ranked` (rows of `_rank_trigram`, which read all the list shows) as
    Ideas with their areas' names, without another query; their other fields are deferred."""
    names = area_names()
    return [_idea_of(row, names) for row in ranked]


def _idea_of(row, names):
    values = row._asdict()
    idea = _from_db(Idea, {"id": values.pop("pk"), **values})
    idea.area = _from_db(Area, {"id": row.area_id, "name": names.get(row.area_id, "")})
    idea.similarity = row.similarity
    return idea


def _from_db(model, values):
    """An instance of `model` as the ORM makes one from a row holding only `values` (by
    attribute name); every other field is deferred."""
    present = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(connection.alias, present, [values[name] for name in present])


def _rank_trigram(title, text, *, area_ids=(), box=None, exclude_pk=None):
    """Rank by pg_trgm similarity, with work bounded by the limits below, not by the ideas.

    Titles: in each area of the place, the `TITLE_MATCHES` titles nearest to the typed one
    (`<->`) come in that order from the GiST trigram index on (area, title) of listed ideas,
    and near the point from the one on (point, title) — both migration 0027.
    The scan stops after its LIMIT, so an old idea with the same title is still found, however
    many titles share its words. Texts (long: scoring every text of a quarter took seconds at
    100,000 ideas) are compared only for the newest `TEXT_CANDIDATES` ideas of each area of
    the place, read from the index on (area, created_at). One query reads and scores them
    (each part scores only its own LIMIT of rows): at most (areas + 1) × TITLE_MATCHES +
    areas × TEXT_CANDIDATES rows. Returns `Ranked` rows (all the list of
    look-alikes shows; never the long texts), best first; an idea found by several parts counts
    with its best score."""
    query_text = f"{title} {text[:500]}"
    listed_sql, listed_params = LISTED_SQL, list(LISTED_SQL_PARAMS)
    if exclude_pk:
        listed_sql += " AND id <> %s"
        listed_params.append(exclude_pk)
    title_score = "GREATEST(word_similarity(%s, title), similarity(title, %s))::float8"
    # the scores, then what `Ranked` holds
    columns = "id, {title}, {text}, " + ", ".join(Ranked._fields[2:])
    by_title = columns.format(title=title_score, text="0::float8")
    parts, params = [], []
    # one part per area: the index serves `area_id = <bigint>` (btree_gist has no cross-type
    # or IN operators), and a single area's scan stops after its LIMIT
    for pk in sorted(area_ids):
        parts.append(
            f"SELECT {by_title} FROM participation_idea WHERE {listed_sql} "  # noqa: S608 -- our constants
            "AND area_id = %s::bigint ORDER BY title <-> %s LIMIT %s"
        )
        params += [title, title, *listed_params, pk, title, TITLE_MATCHES]
    if box is not None:
        parts.append(
            f"SELECT {by_title} FROM participation_idea WHERE {listed_sql} "  # noqa: S608 -- our constants
            "AND point(lng, lat) <@ box(point(%s, %s), point(%s, %s)) "
            "ORDER BY title <-> %s LIMIT %s"
        )
        params += [title, title, *listed_params, *box, title, TITLE_MATCHES]
    if text.strip():
        by_text = columns.format(
            title=title_score, text="COALESCE(similarity(text, %s), 0)::float8"
        )
        for pk in sorted(area_ids):
            parts.append(
                f"SELECT {by_text} FROM participation_idea WHERE {listed_sql} "  # noqa: S608 -- our constants
                "AND area_id = %s::bigint ORDER BY created_at DESC LIMIT %s"
            )
            params += [title, title, query_text, *listed_params, pk, TEXT_CANDIDATES]
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({part})" for part in parts), params)
        found = cursor.fetchall()
    best = {}
    for pk, title_similarity, text_similarity, *shown in found:
        similarity = max(title_similarity, text_similarity * 0.8)
        if pk not in best or similarity > best[pk].similarity:
            best[pk] = Ranked(pk, similarity, *shown)
    ranked = [row for row in best.values() if row.similarity >= TRIGRAM_THRESHOLD]
    ranked.sort(key=lambda row: (-row.similarity, -row.created_at.timestamp()))
    return ranked


# a candidate as `_rank_trigram` scores it (what `_of_place` and `_shown` need)
Ranked = namedtuple(
    "Ranked", "pk similarity created_at area_id lng lat title kind status support_count"
)


def _rank_words(candidates, title, text, *, count=CANDIDATES):
    title_words = normalise_words(title)
    all_words = title_words | normalise_words(text)
    scored = []
    for idea in candidates.order_by("-created_at")[:count]:
        other_title = normalise_words(idea.title)
        score = max(
            jaccard(title_words, other_title),
            jaccard(all_words, other_title | normalise_words(idea.text)),
        )
        if score >= WORD_THRESHOLD:
            idea.similarity = score
            scored.append(idea)
    scored.sort(key=lambda idea: (-idea.similarity, -idea.created_at.timestamp()))
    return scored


# the submitter's own pending contributions compared (the newest; a person has few)
OWN_CANDIDATES = 50


def own_pending_ideas(*, title, text="", user=None, idea_ids=(), limit=LIMIT):
    """Up to `limit` of the submitter's own pending ideas resembling `title`/`text`, wherever
    they are: an account's (`user`), or for a visitor the ideas this browser sent
    (`idea_ids` from the session — never looked up by e-mail address, which anyone can type).
    One query."""
    title = " ".join((title or "").split())[:160]
    if len(title) < MIN_TITLE_LENGTH:
        return []
    if user is not None and user.is_authenticated:
        own = Q(author=user)
    elif idea_ids:
        own = Q(pk__in=list(idea_ids)[-OWN_CANDIDATES:])
    else:
        return []
    candidates = (
        Idea.objects.filter(own, status=IdeaStatus.PENDING)
        .select_related("area")
        .defer(*area_geometry("area"))
    )
    return _rank_words(candidates, title, (text or "")[:5000], count=OWN_CANDIDATES)[:limit]
