"""Published ideas that look like one being written — offered before it duplicates one.

Candidates are public, not already merged ideas in the same area (including its sub-areas) or
within about `NEAR_METRES` of the chosen point. On PostgreSQL they are found through a trigram
index on (area, title) and ranked by `pg_trgm` similarity of title and text (the extension
comes with migration 0007, the index with 0021); elsewhere (SQLite) by the overlap (Jaccard)
of normalised German words without stop words. Always a fixed number of queries, whatever the
number of ideas.

`own_pending_ideas` looks at the other side: the submitter's own contributions that are not
public yet (waiting for their confirmation link or for moderation), so a resident who sends the
same thing again is told "you already submitted this" instead of making a second one.
"""

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.lookups import In

from neighbourhoods.geometry import box_around, distance_m, point_lng_lat
from neighbourhoods.lookup import area_for_geojson_point
from neighbourhoods.models import area_geometry
from neighbourhoods.selectors import area_tree

from .models import Idea, IdeaStatus, in_box

NEAR_METRES = 500
LIMIT = 5
MIN_TITLE_LENGTH = 4
# ranking on SQLite: at most this many newest candidates are compared in Python
CANDIDATES = 400
# ranking on PostgreSQL: texts (long) are compared for at most this many newest candidates
TEXT_CANDIDATES = 40
# ... and titles matching through the trigram index: at most this many per part of the place
TITLE_MATCHES = 60
# what the list of look-alikes shows (and `_near` needs): the long texts are never read
SHOWN_FIELDS = (
    "title",
    "kind",
    "status",
    "support_count",
    "area_id",
    "lng",
    "lat",
    "created_at",
    "area__name",
)
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
    """Up to `limit` listed ideas resembling `title`/`text` near `location` or in `area`."""
    title = " ".join((title or "").split())[:160]
    text = (text or "")[:5000]
    if len(title) < MIN_TITLE_LENGTH:
        return []
    point = point_lng_lat(location)
    if point is not None and area is None:
        area = area_for_geojson_point(location)
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
        ideas = _rank_trigram(listed, place, title, text, area_ids=area_ids, box=box)
    else:
        candidates = listed.filter(place).select_related("area").defer(*area_geometry("area"))
        ideas = _rank_words(candidates, title, text)
    result = []
    for idea in ideas:
        if idea.area_id in area_ids or (point is not None and _near(idea, *point)):
            result.append(idea)
        if len(result) >= limit:
            break
    return result


def _rank_trigram(listed, place, title, text, *, area_ids=(), box=None):
    """Rank by pg_trgm similarity, with bounded work whatever the number of ideas.

    Titles: the ideas of the place whose title matches (`%`, `<%`) come from the trigram index
    on (area, title) of listed ideas (migration 0021) and, near the point, from the index on
    the coordinates — at most `TITLE_MATCHES` for each part of the place (the LIMIT inside each
    subquery). Texts are long — scoring every text of a quarter took seconds at 100,000 ideas
    — so only the newest `TEXT_CANDIDATES` ideas of the place are compared by text as well.
    One query finds the candidates' ids, one scores them: at most 2 × TITLE_MATCHES +
    TEXT_CANDIDATES rows are ever scored."""
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

    query_text = f"{title} {text[:500]}"
    title_match = Q(title__trigram_similar=title) | Q(title__trigram_word_similar=title)
    parts = []
    if area_ids:
        # bigint literals: the GIN index (btree_gin) only serves operators of its own type
        in_areas = [Cast(Value(pk), BigIntegerField()) for pk in sorted(area_ids)]
        parts.append(listed.filter(title_match, In(F("area_id"), in_areas)))
    if box is not None:
        parts.append(listed.filter(title_match, in_box(*box)))
    parts = [
        part.order_by().annotate(newest=Value(False)).values_list("pk", "newest")[:TITLE_MATCHES]
        for part in parts
    ]
    if text.strip():
        parts.append(
            listed.filter(place)
            .order_by("-created_at")
            .annotate(newest=Value(True))
            .values_list("pk", "newest")[:TEXT_CANDIDATES]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        # the operators' thresholds for this query only: as low as the score's threshold
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
            "set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(TRIGRAM_THRESHOLD), str(TRIGRAM_THRESHOLD)],
        )
        ids = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        found = list(ids)
        newest = sorted({pk for pk, is_newest in found if is_newest})
        text_score = Value(0.0)
        if newest:
            text_score = Case(
                When(
                    pk__in=newest,
                    then=Coalesce(TrigramSimilarity("text", query_text), Value(0.0)),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )
        score = Greatest(
            TrigramWordSimilarity(title, "title"),
            TrigramSimilarity("title", title),
            text_score * Value(0.8),
            output_field=FloatField(),
        )
        return list(
            listed.filter(pk__in=sorted({pk for pk, _newest in found}))
            .select_related("area")
            .only(*SHOWN_FIELDS)
            .annotate(similarity=score)
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "-created_at")[: CANDIDATES // 4]
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
