"""JSON that stays harmless when someone embeds it in HTML: `<`, `>` and `&` are written as
`\\u003C`, `\\u003E` and `\\u0026` — the escapes `django.utils.html.json_script` uses — and any
JSON parser reads the same data."""

import json

HTML_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps(data, **kwargs):
    return json.dumps(data, **kwargs).translate(HTML_ESCAPES)
