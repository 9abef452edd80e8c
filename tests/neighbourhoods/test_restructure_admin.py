"""The split and retire screens in the admin: preview first, save only what was previewed,
hostile input refused with a message, managers on their own areas only."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Area
from participation.ideas.models import Idea
from tests.factories import make_area, make_manager, square
from tests.participation.helpers import make_idea, point
from tests.quartier.test_admin_german import english_on


def rect(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def parts(*named):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": name}, "geometry": geometry}
                for name, geometry in named
            ],
        }
    )


@pytest.fixture
def quarter(db):
    return make_area("Südstadt", boundary=square(7.4, 51.4, 0.1))


@pytest.fixture
def manager_client(client, quarter):
    client.force_login(make_manager(quarter, username="qm-suedstadt"))
    return client


def split_url(area):
    return reverse("admin:neighbourhoods_area_split", args=[area.pk])


def retire_url(area):
    return reverse("admin:neighbourhoods_area_retire", args=[area.pk])


def post_split(client, area, text, action="preview", **extra):
    data = {"parts": text, "name_property": "name", "valid_from": str(timezone.localdate())}
    data.update(action=action, **extra)
    return client.post(split_url(area), data)


def test_preview_shows_gaps_and_moves_and_writes_nothing(manager_client, quarter):
    make_idea(quarter, location=point(7.42, 51.45))
    text = parts(("West", rect(7.4, 51.4, 7.45, 51.5)), ("Ost", rect(7.46, 51.4, 7.5, 51.5)))
    response = post_split(manager_client, quarter, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Von keinem Teil abgedeckt" in html and "10,00 %" in html
    assert "nach „West“" in html and "Ideen, Stärken und Schwächen" in html
    assert 'data-preview-id="split-preview"' in html
    assert Area.objects.count() == 1
    assert Idea.objects.get().area == quarter
    assert 'value="save"' in html  # a quarter need not be covered completely
    assert english_on(html) == []


def test_save_needs_the_previewed_parts(manager_client, quarter):
    text = parts(("West", rect(7.4, 51.4, 7.45, 51.5)))
    preview = post_split(manager_client, quarter, text)
    fingerprint = preview.context["form"].fingerprint
    changed = parts(("West", rect(7.4, 51.4, 7.46, 51.5)))
    response = post_split(manager_client, quarter, changed, action="save", fingerprint=fingerprint)
    assert response.status_code == 200
    assert "nach der Vorschau geändert" in response.content.decode()
    assert Area.objects.count() == 1
    response = post_split(
        manager_client, quarter, text, action="save", fingerprint=fingerprint, name_1="West"
    )
    assert response.status_code == 302
    assert list(quarter.children.values_list("name", flat=True)) == ["West"]
    history = LogEntry.objects.filter(object_id=str(quarter.pk), user__username="qm-suedstadt")
    assert history.get().get_change_message() == "Aufgeteilt in: West"


def test_names_typed_beside_the_map_win_over_the_text(manager_client, quarter):
    text = parts(("", rect(7.4, 51.4, 7.45, 51.5)))
    response = post_split(manager_client, quarter, text)
    assert "Der Name fehlt" in response.content.decode()
    assert 'value="save"' not in response.content.decode()
    response = post_split(manager_client, quarter, text, name_1="Am Park")
    fingerprint = response.context["form"].fingerprint
    response = post_split(
        manager_client, quarter, text, action="save", fingerprint=fingerprint, name_1="Am Park"
    )
    assert response.status_code == 302
    assert quarter.children.get().name == "Am Park"


@pytest.mark.parametrize(
    ("text", "extra", "expected"),
    [
        ("", {}, "mindestens einen Teil"),
        ("{kaputt", {}, "kein gültiges JSON"),
        ('{"type": "Point", "coordinates": [7, 51]}', {}, "keine GeoJSON-FeatureCollection"),
        (parts(("West", rect(7.4, 51.4, 7.45, 51.5))), {"name_1": "A\r\nB"}, "Zeilenumbr"),
        (parts(("West", rect(7.4, 51.4, 7.45, 51.5))), {"name_1": "A\x07B"}, "Steuerzeichen"),
        (parts(("West", rect(7.4, 51.4, 7.45, 51.5))), {"name_1": "x" * 500}, "120"),
        (parts(*[(f"T{n}", rect(7.4, 51.4, 7.41, 51.41)) for n in range(31)]), {}, "Höchstens"),
        ("[" * 5000 + "]" * 5000, {}, "JSON"),
        (parts(("West", rect(400000, 5700000, 401000, 5701000))), {}, "projiziert"),
    ],
)
def test_hostile_split_input_gets_a_message_and_writes_nothing(
    manager_client, quarter, text, extra, expected
):
    response = post_split(manager_client, quarter, text, **extra)
    assert response.status_code == 200
    assert expected in response.content.decode()
    response = post_split(manager_client, quarter, text, action="save", fingerprint="x", **extra)
    assert response.status_code == 200
    assert Area.objects.count() == 1


def test_a_name_with_markup_is_shown_as_text(manager_client, quarter):
    text = parts(("<script>alert(1)</script>", rect(7.4, 51.4, 7.45, 51.5)))
    html = post_split(manager_client, quarter, text).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_retire_lists_moves_per_successor_before_confirming(manager_client, quarter):
    old = make_area("Alt", boundary=rect(7.4, 51.4, 7.5, 51.45), parent=quarter)
    west = make_area("West", boundary=rect(7.4, 51.45, 7.45, 51.5), parent=quarter)
    east = make_area("Ost", boundary=rect(7.45, 51.45, 7.5, 51.5), parent=quarter)
    make_idea(old, location=point(7.42, 51.41))
    make_idea(old, location=point(7.49, 51.41), title="Zwei")
    data = {"successors": [west.pk, east.pk], "valid_until": str(timezone.localdate())}
    response = manager_client.post(retire_url(old), {**data, "action": "preview"})
    html = response.content.decode()
    assert "nach „West“" in html and "nach „Ost“" in html and "bleibt bei „Alt“" in html
    assert english_on(html) == []
    preview = response.context["preview"]
    assert [row.counts for row in preview.rows if row.label.startswith("Ideen")] == [[1, 1]]
    assert Area.objects.get(pk=old.pk).is_current
    fingerprint = response.context["form"].fingerprint
    response = manager_client.post(
        retire_url(old),
        {**data, "successors": [west.pk], "action": "confirm", "fingerprint": fingerprint},
    )
    assert "Auswahl wurde geändert" in response.content.decode()
    assert Area.objects.get(pk=old.pk).is_current
    response = manager_client.post(
        retire_url(old), {**data, "action": "confirm", "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert not Area.objects.get(pk=old.pk).is_current
    history = LogEntry.objects.get(object_id=str(old.pk))
    assert history.get_change_message() == "Beendet; Nachfolger: Ost, West"
    assert set(Idea.objects.values_list("area__name", flat=True)) == {"West", "Ost"}


def test_retire_offers_only_the_managers_areas_as_successors(manager_client, quarter):
    other = make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    old = make_area("Alt", boundary=rect(7.4, 51.4, 7.5, 51.45), parent=quarter)
    html = manager_client.get(retire_url(old)).content.decode()
    assert "Südstadt" in html and "Nordstadt" not in html
    response = manager_client.post(
        retire_url(old),
        {"successors": [other.pk], "valid_until": str(timezone.localdate()), "action": "preview"},
    )
    assert (
        "keine gültige Auswahl" in response.content.decode()
        or "Auswahl" in response.content.decode()
    )
    assert Area.objects.get(pk=old.pk).is_current


def test_a_manager_cannot_split_or_retire_another_area(manager_client, quarter):
    other = make_area("Nordstadt", boundary=square(7.6, 51.4, 0.1))
    text = parts(("N", square(7.6, 51.4, 0.05)))
    assert post_split(manager_client, other, text).status_code == 403
    response = manager_client.post(
        retire_url(other), {"valid_until": str(timezone.localdate()), "action": "confirm"}
    )
    assert response.status_code == 403
    assert Area.objects.get(pk=other.pk).is_current and Area.objects.count() == 2
