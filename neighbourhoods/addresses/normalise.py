"""How an address is compared: one search key for what residents type and what the register holds.

"Marktstraße 5a", "marktstr. 5 A", "Markt-Straße 5a" and " MARKTSTRASSE  5a " all become the
street key `marktstrasse` and the house-number key `5a`. Case, ß/ss, umlauts (ä/ae), accents,
"str."/"straße", hyphens, dots and spaces make no difference.
"""

import re
import unicodedata

MAX_QUERY_LENGTH = 100

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# In a file's field: control characters other than a tab are an error, not noise.
CONTROL_CHARACTERS_IN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# "str." / "str" at the end of a word ("Marktstr.", "Markt Str") is "strasse".
_STREET_ABBREVIATION = re.compile(r"str\b\.?")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# The house number at the end of the street part: "5", "5a", "5 a", "5-7", "12/1".
_HOUSENUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-z]?(?:\s*[-/]\s*\d+\s*[a-z]?)?)$"
)
_POSTCODE = re.compile(r"\b(\d{5})\b")


def clean_text(value):
    """One line of plain text: control characters become spaces, runs of spaces one space."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def _fold(text):
    text = clean_text(text).casefold().translate(_UMLAUTS)  # casefold turns ß into ss
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char))


def street_key(street):
    """`Marktstraße`, `Marktstr.`, `markt-strasse` → `marktstrasse`."""
    text = _fold(street)
    text = _STREET_ABBREVIATION.sub("strasse", text)
    return _NOT_ALNUM.sub("", text)


def housenumber_key(number):
    """`5 A` → `5a`, `5-7` → `5-7`; only digits, letters, - and /."""
    return re.sub(r"[^0-9a-z/-]", "", _fold(number))


def search_key(street, housenumber=""):
    return street_key(street) + housenumber_key(housenumber)


class Query:
    """What a resident typed, taken apart: street key, house-number key, postcode (if any)."""

    def __init__(self, text):
        text = clean_text(text)[:MAX_QUERY_LENGTH]
        self.text = text
        head, _comma, tail = text.partition(",")
        postcode = _POSTCODE.search(tail) or _POSTCODE.search(head)
        self.postcode = postcode.group(1) if postcode else ""
        if postcode and postcode.string is head:
            head = head[: postcode.start()] + head[postcode.end() :]
        folded = _fold(head).strip()
        match = _HOUSENUMBER.match(folded)
        if match:
            self.street = street_key(match.group("street"))
            self.housenumber = housenumber_key(match.group("number"))
        else:
            self.street = street_key(folded)
            self.housenumber = ""
        self.key = self.street + self.housenumber

    @property
    def base_number(self):
        """The house number without its suffix ("5a" → "5"), or "" when there is none."""
        match = re.match(r"\d+", self.housenumber)
        return match.group(0) if match and match.group(0) != self.housenumber else ""

    def __bool__(self):
        return bool(self.street)
