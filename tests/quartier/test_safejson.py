import json

from quartier import safejson


def test_markup_characters_are_escaped_and_the_data_is_unchanged():
    data = {"title": "</script><b>Bänke & Tische</b>", "n": 1}
    text = safejson.dumps(data, ensure_ascii=False)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "Bänke" in text
    assert json.loads(text) == data
