from django import template
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

register = template.Library()


def _inline(text):
    """Escaped text with web and e-mail addresses as links (urlize escapes everything else)."""
    return urlize(text, nofollow=True, autoescape=True)


def _blocks(lines):
    """Group lines into ("h2", text), ("p", [lines]) and ("ul", [items])."""
    blocks = []
    for line in lines:
        if line.startswith("## "):
            blocks.append(("h2", line[3:].strip()))
            continue
        kind, text = ("ul", line[2:].strip()) if line.startswith("- ") else ("p", line)
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(text)
        else:
            blocks.append((kind, [text]))
    return blocks


@register.filter
def plain_text(value):
    """Plain text from the database as HTML: everything is escaped; blank lines separate
    paragraphs, a line starting with "## " is a heading (h2), lines starting with "- " are
    list items, other line breaks are kept, web and e-mail addresses become links."""
    html = []
    for chunk in str(value or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        for kind, content in _blocks(lines):
            if kind == "h2":
                html.append(f"<h2>{escape(content)}</h2>")
            elif kind == "ul":
                html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in content) + "</ul>")
            else:
                html.append("<p>" + "<br>".join(_inline(line) for line in content) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text is escaped above
