"""Reading rendered pages in tests: visible text, and the card that holds a title."""

import re


def text_of(html):
    """The page's visible text with tags removed and white space collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def card_of(html, title):
    """The text of the card (<li class="card …">) that holds `title`."""
    cards = re.findall(r'<li class="card[^"]*">.*?</li>\s*(?=<li class="card|</ul>)', html, re.S)
    for card in cards:
        if title in card:
            return text_of(card)
    raise AssertionError(f"no card for {title!r}")
