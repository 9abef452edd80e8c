"""Fragments kept under versioned keys (quartier/fragments.py): pages cost what they show when
the page cache misses, and a write makes stale only what it touches.

The fragment cache is on in these tests (off in the others, like the page cache; a private cache
per test, see tests/conftest.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Partner
from participation.ideas import selectors, services, views
from participation.ideas.models import Idea
from quartier import fragments
from tests.factories import make_area, make_manager, make_user, square
from tests.network.factories import make_cooperation, make_partner
from tests.participation.helpers import make_idea, point, two_areas

pytestmark = pytest.mark.django_db
CITY = "7.4,51.4,7.6,51.6"


@pytest.fixture(autouse=True)
def fragments_on(settings):
    """Off in other tests (tests/conftest.py); on here, as in production."""
    settings.FRAGMENT_CACHE_SECONDS = 300


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(captured), response


# --- versions -------------------------------------------------------------------------------


def test_a_bump_changes_only_its_scope():
    before = fragments.versions(["area:1", "area:2"])
    fragments.bump("area:1")
    after = fragments.versions(["area:1", "area:2"])
    assert after["area:1"] > before["area:1"]
    assert after["area:2"] == before["area:2"]


def test_bumped_again_after_the_commit_once_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        fragments.bump("area:1")
        fragments.bump("area:2")
        during = fragments.versions(["area:1", "area:2"])
    assert len(callbacks) == 1
    callbacks[0]()
    after = fragments.versions(["area:1", "area:2"])
    assert after["area:1"] > during["area:1"] and after["area:2"] > during["area:2"]


def test_kept_until_a_scope_changes():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert fragments.cached("thing", ["area:7"], build) == 1
    assert fragments.cached("thing", ["area:7"], build) == 1
    fragments.bump("area:8")
    assert fragments.cached("thing", ["area:7"], build) == 1
    fragments.bump("area:7")
    assert fragments.cached("thing", ["area:7"], build) == 2
    fragments.everything_changed()
    assert fragments.cached("thing", ["area:7"], build) == 3


def test_off_with_zero_seconds(settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    calls = []
    for _ in range(2):
        fragments.cached("thing", ["area:7"], lambda: calls.append(1))
    assert len(calls) == 2


def test_kept_per_language_as_plain_text_and_lazy_when_for_every_language():
    """Lazy translations are kept as text in the language of the key (unpickling a lazy one
    costs a new class each time), and stay lazy in a value kept for every language."""
    from collections import namedtuple

    from django.utils.functional import Promise
    from django.utils.translation import gettext_lazy, override

    Row = namedtuple("Row", "kind label")

    def build():
        return {
            "rows": [Row("association", gettext_lazy("Verein"))],
            "pair": (gettext_lazy("Verein"), 1),
        }

    with override("en"):
        fragments.cached("labels", ["area:7"], build)
        kept = fragments.cached("labels", ["area:7"], build)
        shared = fragments.cached("shared labels", ["area:7"], build, per_language=False)
    assert kept["rows"] == [Row("association", "Association")]
    assert type(kept["rows"][0].label) is str and type(kept["pair"][0]) is str
    with override("de"):
        assert fragments.cached("labels", ["area:7"], build)["pair"] == ("Verein", 1)
        shared = fragments.cached("shared labels", ["area:7"], build, per_language=False)
        assert isinstance(shared["pair"][0], Promise) and str(shared["pair"][0]) == "Verein"


def test_a_write_bumps_its_area_and_a_support_its_idea_s_area():
    north, south = two_areas()
    idea = make_idea(north)
    before = fragments.versions([f"area:{north.pk}", f"area:{south.pk}"])
    services.support_add(idea=idea, user=make_user())
    after = fragments.versions([f"area:{north.pk}", f"area:{south.pk}"])
    assert after[f"area:{north.pk}"] > before[f"area:{north.pk}"]
    assert after[f"area:{south.pk}"] == before[f"area:{south.pk}"]


# --- the area page ---------------------------------------------------------------------------


def test_area_page_sections_are_kept_and_refreshed_by_a_write_in_the_area(client):
    north, south = two_areas()
    make_idea(north, title="Erste Idee im Norden")
    url = north.get_absolute_url()
    cold, response = queries(client, url)
    assert "Erste Idee im Norden" in response.content.decode()
    warm, _response = queries(client, url)
    assert warm < cold
    # a write in another area keeps this page's sections
    make_idea(south, title="Idee im Süden")
    assert queries(client, url)[0] == warm
    # a write in this area shows at once
    make_idea(north, title="Zweite Idee im Norden")
    count, response = queries(client, url)
    assert "Zweite Idee im Norden" in response.content.decode()
    assert count > warm


def test_area_page_queries_do_not_grow_with_the_ideas_when_kept(client):
    north, _south = two_areas()
    make_idea(north)
    url = north.get_absolute_url()
    queries(client, url)
    few = queries(client, url)[0]
    for number in range(30):
        make_idea(north, title=f"Idee {number}")
    queries(client, url)
    assert queries(client, url)[0] == few


def test_a_section_of_a_sub_area_write_refreshes_the_quarter_page(client):
    quarter = make_area("Quartier", boundary=square(7.46, 51.51, 0.02))
    space = make_area("Sozialraum", parent=quarter, boundary=square(7.465, 51.515, 0.005))
    two_areas()  # the topic
    url = quarter.get_absolute_url()
    queries(client, url)
    make_idea(space, title="Im Sozialraum")
    assert "Im Sozialraum" in queries(client, url)[1].content.decode()


# --- the network picture -------------------------------------------------------------------


def test_network_picture_is_kept_until_the_network_changes(client):
    north, _south = two_areas()
    first = make_partner("Erster Verein")
    second = make_partner("Zweiter Verein")
    make_cooperation(first, second, title="Gemeinsames Fest")
    url = reverse("network:network-picture")
    cold, response = queries(client, url)
    assert "Gemeinsames Fest" in response.content.decode()
    warm, _response = queries(client, url)
    assert warm < cold
    make_idea(north)  # not the network: still kept
    assert queries(client, url)[0] == warm
    Partner.objects.filter(pk=first.pk).first().save()  # any network write
    make_partner("Dritter Verein")
    count, response = queries(client, url)
    assert "Dritter Verein" in response.content.decode()
    assert count > warm


# --- the map's counts per area ---------------------------------------------------------------


def direct_groups(queryset, bbox):
    return {
        group["area_id"]: group["count"]
        for group in selectors._area_groups(
            selectors.located(queryset).filter(selectors.in_box(*bbox))
        )
    }


def kept_groups(queryset, bbox):
    return {
        group["area_id"]: group["count"]
        for group in selectors._area_groups_in_box(selectors.located(queryset), bbox)
    }


@pytest.mark.parametrize(
    "bbox", [(7.4, 51.4, 7.6, 51.6), (7.455, 51.48, 7.5, 51.515), (7.462, 51.512, 7.468, 51.518)]
)
def test_kept_map_groups_count_the_same_as_the_database(bbox):
    north, south = two_areas()
    for number in range(6):
        make_idea(north, location=point(7.461 + number / 1000, 51.511 + number / 1000))
        make_idea(south, location=point(7.462 + number / 1000, 51.492))
    # strays: ideas of an area placed beyond its box (a chosen area, a point on the edge)
    make_idea(north, location=point(7.475, 51.5))
    for number in range(selectors.KEPT_STRAYS + 1):
        make_idea(south, location=point(7.45, 51.505 + number / 100_000))
    make_idea(north, location=None)
    retired = make_area(
        "Alt", boundary=square(7.5, 51.5), valid_from="2019-01-01", valid_until="2020-01-01"
    )
    Idea.objects.filter(pk=make_idea(north, location=point(7.505, 51.505)).pk).update(area=retired)
    ideas = Idea.objects.listed()
    assert kept_groups(ideas, bbox) == direct_groups(ideas, bbox)
    assert kept_groups(ideas, bbox) == direct_groups(ideas, bbox)  # now from the kept groups
    make_idea(north, location=point(7.463, 51.513))
    assert kept_groups(ideas, bbox) == direct_groups(ideas, bbox)


def cluster_counts(response):
    return {f["properties"]["area"]: f["properties"]["count"] for f in response.json()["features"]}


def test_whole_city_map_reads_kept_groups(client, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_CLUSTER_LIMIT", 0)
    north, south = two_areas()
    make_idea(north)
    make_idea(south)
    url = reverse("participation:ideas-geojson")
    cold, response = queries(client, url, bbox=CITY)
    assert response.json()["clustered"] is True
    warm, response = queries(client, url, bbox=CITY)
    assert warm < cold
    counts = {
        f["properties"]["area"]: f["properties"]["count"] for f in response.json()["features"]
    }
    assert counts == {"Nordstadt": 1, "Südstadt": 1}
    make_idea(south, title="Noch eine")
    response = client.get(url, {"bbox": CITY})
    counts = {
        f["properties"]["area"]: f["properties"]["count"] for f in response.json()["features"]
    }
    assert counts == {"Nordstadt": 1, "Südstadt": 2}


# --- the ideas list's count ------------------------------------------------------------------


def test_ideas_list_count_is_kept_until_an_idea_changes(client):
    north, south = two_areas()
    idea = make_idea(north)
    make_idea(south)
    url = reverse("participation:idea-list")
    cold, response = queries(client, url)
    assert "2 Beiträge" in response.content.decode()
    warm, _response = queries(client, url)
    assert warm == 0  # the count and the page's cards are kept: no row read, no form built
    # the COUNT, the filter form's areas and topics, the page's ids and areas, the cards' rows
    assert cold == 5
    services.support_add(idea=idea, user=make_user())  # supports do not change the count
    assert queries(client, url)[0] == 2  # the page's ids and the north's card, not the COUNT
    make_idea(south, title="Dritte")
    count, response = queries(client, url)
    assert "3 Beiträge" in response.content.decode()
    assert count == 3  # counted again, the page's ids, the south's cards; the form is kept


def test_lists_keep_nothing_per_unknown_parameter_or_wrong_value(client):
    """Kept lists are named by their valid filters only: another parameter reads the plain
    page's kept parts, and a value the form refuses is shown each time, kept nowhere."""
    north, _south = two_areas()
    make_idea(north)
    for url in (reverse("participation:idea-list"), reverse("participation:meeting-list")):
        queries(client, url)
        queries(client, url, other="x")  # the first one with parameters: the choices offered
        assert queries(client, url, anything="1")[0] == 0
        assert queries(client, url, anything="2", page="1")[0] == 0
        assert queries(client, url, area="nonsense")[0] > 0
        assert queries(client, url, area="nonsense")[0] > 0


def test_chosen_filters_without_building_the_filter_when_each_value_is_offered():
    """The values a list's form offers are kept; a request choosing only such values is
    answered without the FilterSet (its deep copies cost a millisecond). Anything else goes
    through the form, with the same answer as before."""
    from django.http import QueryDict

    from participation.ideas.filters import IdeaFilter

    north, _south = two_areas()
    built = []

    def lazy(query):
        def build(data):
            built.append(data)
            return IdeaFilter(data, queryset=Idea.objects.none())

        return fragments.LazyFilterSet(
            QueryDict(query), build, choices=("test-ideas", views.FILTER_SCOPES)
        )

    def chosen(query):
        built.clear()
        return fragments.chosen_filters(lazy(query)), [data for data in built if data]

    # the first call builds an unbound form once, to learn (and keep) what it offers
    assert chosen(f"area={north.pk}&kind=idea&other=1") == (
        [("area", [str(north.pk)]), ("kind", ["idea"])],
        [],
    )
    assert chosen(f"kind=strength&area={north.pk}&sort=supported&q=") == (
        [("q", [""]), ("area", [str(north.pk)]), ("kind", ["strength"]), ("sort", ["supported"])],
        [],
    )
    assert built == []  # kept: not even the unbound form
    # a single select takes the last value, as the form does
    assert chosen("kind=nonsense&kind=idea")[0] == [("kind", ["nonsense", "idea"])]
    # written otherwise than offered (the form may still accept it): the form decides
    result, forms = chosen(f"area=0{north.pk}")
    assert result == [("area", [f"0{north.pk}"])] and len(forms) == 1
    assert chosen("kind=nonsense") == (None, [QueryDict("kind=nonsense")])
    assert chosen("area=999999")[0] is None
    assert chosen("q=Bank") == (None, [])  # a text search: never kept, no form needed
    # a new area is offered at once (the kept choices follow the area tree)
    west = make_area("Weststadt", boundary=square(7.44, 51.5))
    assert chosen(f"area={west.pk}") == ([("area", [str(west.pk)])], [])


def test_ideas_filter_form_keeps_each_choice_and_follows_new_areas(client):
    north, _south = two_areas()
    make_idea(north)
    url = reverse("participation:idea-list")
    chosen = queries(client, url, area=north.pk)[1].content.decode()
    assert f'<option value="{north.pk}" selected>' in chosen
    plain = queries(client, url)[1].content.decode()
    assert f'<option value="{north.pk}" selected>' not in plain
    make_area("Weststadt", boundary=square(7.44, 51.5))
    assert "Weststadt" in queries(client, url)[1].content.decode()
    # a text search is rendered each time (no entry per typed text), and shows what was typed
    assert 'value="Bänke"' in queries(client, url, q="Bänke")[1].content.decode()


def test_ideas_list_count_follows_a_hide_by_reports(client, settings):
    settings.IDEA_FLAG_THRESHOLD = 1
    north, _south = two_areas()
    idea = make_idea(north)
    make_idea(north, title="Bleibt")
    url = reverse("participation:idea-list")
    assert "2 Beiträge" in queries(client, url)[1].content.decode()
    services.flag_create(idea=idea, reporter_key="ip:x", reason="Beleidigend")
    assert "1 Beitrag" in queries(client, url)[1].content.decode()


def test_network_directory_keeps_its_filter_and_core_team_until_they_change(client):
    north, _south = two_areas()
    make_partner("Erster Verein", areas=[north])
    url = reverse("network:partner-list")
    cold = queries(client, url)[0]
    warm, response = queries(client, url)
    assert warm < cold
    assert "Erster Verein" in response.content.decode()
    chosen = queries(client, url, area=north.slug)[1].content.decode()
    assert f'<option value="{north.slug}" selected>' in chosen
    make_manager(north, username="quartiersmanagerin")
    assert "quartiersmanagerin" in queries(client, url)[1].content.decode()
    make_area("Weststadt", boundary=square(7.44, 51.5))
    assert "Weststadt" in queries(client, url)[1].content.decode()


def test_meetings_filter_form_is_kept_per_choice_and_keeps_the_past_switch(client):
    two_areas()
    url = reverse("participation:meeting-list")
    hidden = '<input type="hidden" name="zeit" value="vergangen">'
    assert hidden not in queries(client, url)[1].content.decode()
    assert hidden in queries(client, url, zeit="vergangen")[1].content.decode()
    assert hidden not in queries(client, url)[1].content.decode()
    make_area("Weststadt", boundary=square(7.44, 51.5))
    assert "Weststadt" in queries(client, url, zeit="vergangen")[1].content.decode()


def test_whole_city_map_with_a_text_search_keeps_nothing(client, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_CLUSTER_LIMIT", 0)
    north, south = two_areas()
    make_idea(north, title="Bänke am Platz")
    make_idea(south, title="Radweg", text="Der Radweg endet plötzlich.")
    url = reverse("participation:ideas-geojson")
    kept = []
    original = fragments.cached_many
    monkeypatch.setattr(
        fragments, "cached_many", lambda *args, **kw: kept.append(1) or original(*args, **kw)
    )
    response = client.get(url, {"bbox": CITY, "q": "Bänke"})
    assert cluster_counts(response) == {"Nordstadt": 1}
    assert not kept
    client.get(url, {"bbox": CITY})
    assert kept


def test_supported_ideas_rows_are_kept_and_follow_an_answer_at_once(client):
    """ "Meine Beiträge": each supported idea's row is kept under its area; an answer to one
    idea shows at once, and rows of another area stay kept (the newest five of six supports
    are shown: not Nord 0)."""
    from participation.ideas.models import Answer, Support

    north, south = two_areas()
    resident = make_user()
    ideas = [make_idea(north, title=f"Nord {n}") for n in range(3)]
    ideas += [make_idea(south, title=f"Süd {n}") for n in range(3)]
    for idea in ideas:
        Support.objects.create(idea=idea, user=resident)
    client.force_login(resident)
    url = reverse("accounts:contributions")
    cold, response = queries(client, url)
    assert "Noch keine Antwort des Quartiersteams." in response.content.decode()
    warm, _response = queries(client, url)
    assert warm == cold - 1  # the answers of rows not kept: not read when all are kept
    Answer.objects.create(
        idea=ideas[1], text="Wir kümmern uns.", status_from="published", status_to="published"
    )
    after, response = queries(client, url)
    assert "Wir kümmern uns." in response.content.decode()
    # only the north rows were built again: the answers query ran for them
    assert after == cold
    keys = [
        fragments._key(
            f"mine-support:{s.pk}:0",
            (fragments.area_scope(south.pk), "app:neighbourhoods"),
            fragments.versions([fragments.area_scope(south.pk), "app:neighbourhoods"]),
            True,
        )
        for s in Support.objects.filter(idea__area=south)
    ]
    from django.core.cache import cache

    assert len(cache.get_many(keys)) == 3


def test_home_news_of_followed_areas_are_kept_until_one_of_them_changes(client, monkeypatch):
    """The signed-in home's news (public, the same for all followers of these areas) are kept
    under the followed areas' versions: a new idea there shows at once, a write elsewhere
    keeps them (other home sections, such as the city's newest ideas, may be built again)."""
    from django.utils import timezone

    from participation.subscriptions import sections as subscription_sections
    from participation.subscriptions.models import Subscription

    built = []
    original = subscription_sections._area_news
    monkeypatch.setattr(
        subscription_sections, "_area_news", lambda ids: built.append(ids) or original(ids)
    )

    north, south = two_areas()
    make_idea(north, title="Erste Idee im Norden")
    resident = make_user()
    Subscription.objects.create(user=resident, area=north, confirmed_at=timezone.now())
    client.force_login(resident)
    cold, response = queries(client, "/")
    assert "Erste Idee im Norden" in response.content.decode()
    warm, _response = queries(client, "/")
    assert warm <= cold - 3  # the ideas, answers and meetings of the followed areas
    assert len(built) == 1
    make_idea(south, title="Im Süden")
    queries(client, "/")
    assert len(built) == 1  # a write elsewhere keeps the followed areas' news
    make_idea(north, title="Zweite Idee im Norden")
    _count, response = queries(client, "/")
    assert "Zweite Idee im Norden" in response.content.decode()
    assert len(built) == 2


def test_idea_cards_are_kept_per_idea_and_a_support_shows_at_once(client):
    """The list's cards are kept per idea: a support shows at once on its card, the other
    cards stay kept, also those of the same area."""
    from django.core.cache import cache

    from participation.ideas.selectors import CARD_SCOPES

    north, south = two_areas()
    in_north = make_idea(north, title="Im Norden")
    in_south = make_idea(south, title="Im Süden")
    neighbour = make_idea(north, title="Auch im Norden")
    supporter = make_user()
    url = reverse("participation:idea-list")
    _count, response = queries(client, url)
    assert "Im Norden" in response.content.decode()
    services.support_add(idea=in_north, user=supporter, notify=False)
    _count, response = queries(client, url)
    body = response.content.decode()
    north_card = body.split(">Im Norden")[1].split("</li>")[0]
    assert "1 Unterstützung" in north_card
    for other in (in_south, neighbour):
        scopes = (fragments.idea_scope(other.pk), *CARD_SCOPES)
        key = fragments._key(f"idea-card:{other.pk}", scopes, fragments.versions(scopes), True)
        assert cache.get(key) is not None


# --- the mood barometer ------------------------------------------------------------------


def test_mood_page_keeps_its_picture_and_form_until_an_answer(client, settings):
    from participation.feedback.models import MoodAnswer, current_month

    settings.MOOD_MIN_ANSWERS = 1
    north, _south = two_areas()
    url = reverse("participation:mood")
    cold, _response = queries(client, url)
    warm, response = queries(client, url)
    assert warm < cold
    keys = [
        page.content.decode().split('name="form_key" value="')[1].split('"')[0]
        for page in (response, client.get(url))
    ]
    assert keys[0] != keys[1]  # a new one-time key for every visitor, the fields kept
    assert 'type="radio" name="score"' in response.content.decode()
    # an answer shows at once
    MoodAnswer.objects.create(area=north, score=2, month=current_month())
    count, response = queries(client, url)
    assert count > warm
    assert "2,0 von 5" in response.content.decode()
    # the chosen area's form is kept apart
    chosen = client.get(url, {"gebiet": north.slug}).content.decode()
    assert f'<option value="{north.pk}" selected>' in chosen


# --- the home page and the areas list ------------------------------------------------------


def test_home_sections_are_kept_until_what_they_show_changes(client):
    north, _south = two_areas()
    idea = make_idea(north, title="Erste Idee")
    cold, _response = queries(client, "/")
    warm, response = queries(client, "/")
    assert warm < cold
    assert "Erste Idee" in response.content.decode()
    make_idea(north, title="Neue Idee")
    count, response = queries(client, "/")
    assert "Neue Idee" in response.content.decode()
    assert count > warm
    queries(client, "/")
    services.support_add(idea=idea, user=make_user())
    assert queries(client, "/")[0] > warm  # the cards show the supports


def test_areas_list_and_geojson_are_kept_until_an_area_changes(client):
    north, _south = two_areas()
    url = reverse("neighbourhoods:area-list")
    queries(client, url)
    assert queries(client, url)[0] == 0
    geojson = reverse("neighbourhoods:areas-geojson")
    queries(client, geojson)
    assert queries(client, geojson)[0] == 0
    make_area("Hafen", parent=north)
    count, response = queries(client, url)
    assert count > 0 and "Hafen" in response.content.decode()
    assert "Hafen" not in queries(client, geojson)[1].content.decode()  # no boundary
    make_area("Westend", boundary=square(7.30, 51.50))
    assert "Westend" in queries(client, geojson)[1].content.decode()


# --- the idea page --------------------------------------------------------------------------


def test_idea_page_keeps_its_parts_and_shows_a_comment_an_answer_and_a_deletion_at_once(client):
    """The idea page reads nothing when its row and parts are kept, also after a write about
    another idea of the same area; a comment, a support, the team's answer and a commenter's
    deleted account show at once."""
    from quartier.accounts.services import account_delete

    north, south = two_areas()
    idea = make_idea(north, title="Bänke am Markt")
    writer = make_user(first_name="Wilma", last_name="Schreiber")
    supporters = [make_user(), make_user()]  # (a new account changes the commenters' names)
    neighbour = make_idea(north, title="Nebenan")
    services.comment_create(idea=idea, user=writer, text="Gute Idee!")
    url = idea.get_absolute_url()
    queries(client, url)  # kept now
    count, response = queries(client, url)
    assert count == 0, count
    assert "Wilma Schreiber" in response.content.decode()

    services.comment_create(idea=make_idea(south), user=writer, text="Im Süden")
    services.comment_create(idea=neighbour, user=writer, text="Auch nebenan")
    services.support_add(idea=neighbour, user=supporters[0])
    assert queries(client, url)[0] == 0  # other ideas, even of the same area: all kept

    services.support_add(idea=idea, user=supporters[1])
    assert "1 Person unterstützt diesen Beitrag." in queries(client, url)[1].content.decode()

    services.comment_create(idea=idea, user=make_user(), text="Sehr gerne auch mit Schatten")
    assert "Sehr gerne auch mit Schatten" in queries(client, url)[1].content.decode()
    services.idea_answer(idea=idea, by=make_manager(north), text="Wir prüfen den Standort.")
    assert "Wir prüfen den Standort." in queries(client, url)[1].content.decode()
    account_delete(user=writer)
    body = queries(client, url)[1].content.decode()
    assert "Wilma Schreiber" not in body and "Ehemaliges Konto" in body


def test_idea_page_parts_hold_no_visitor_s_csrf_token(client):
    """Kept parts carry a placeholder; each visitor's page has its own token in every form,
    and a comment quoting the placeholder is shown as typed."""
    import re

    from django.core.cache import cache

    north, _south = two_areas()
    idea = make_idea(north)
    services.comment_create(
        idea=idea, user=make_user(), text="Text mit __quartier_fragment_csrf__ darin"
    )
    url = idea.get_absolute_url()
    tokens = []
    for visitor in (client, type(client)()):
        body = queries(visitor, url)[1].content.decode()
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
        assert found and "__quartier_fragment_csrf__" not in found
        assert "Text mit __quartier_fragment_csrf__ darin" in body
        tokens.append(found)
    assert not tokens[0] & tokens[1]
    scopes = (fragments.idea_scope(idea.pk), *views.IDEA_PAGE_SCOPES)
    key = fragments._key(f"idea-page:{idea.pk}", scopes, fragments.versions(scopes), True)
    kept = cache.get(key)
    assert kept is not None
    assert not any(token in html for html in kept.values() for token in tokens[0] | tokens[1])


def test_idea_page_of_a_hidden_idea_is_gone_though_its_parts_are_kept(client):
    north, _south = two_areas()
    idea = make_idea(north)
    queries(client, idea.get_absolute_url())
    services.idea_hide(idea=idea, by=make_manager(north), reason="Beleidigend")
    assert client.get(idea.get_absolute_url()).status_code == 404


def test_meeting_cards_are_kept_and_a_registration_shows_its_places_at_once(client):
    from participation.meetings.services import registration_create
    from tests.participation.meeting_factories import make_meeting

    north, south = two_areas()
    in_north = make_meeting(north, title="Stadtteilgespräch Nord", capacity=10)
    make_meeting(south, title="Fest im Süden", capacity=10)
    url = reverse("participation:meeting-list")
    assert "noch 10 Plätze frei" in queries(client, url)[1].content.decode()
    warm, _response = queries(client, url)
    registration_create(meeting=in_north, name="Ada", email="ada@example.org", people=3)
    count, response = queries(client, url)
    north_card = response.content.decode().split("Stadtteilgespräch Nord")[1].split("</li>")[0]
    assert "noch 7 Plätze frei" in north_card
    # the page as shown is kept: no query until a meeting or a registration is written; then
    # its meetings are read once (their count and the other cards stay kept)
    assert warm == 0 and count == 1
    assert queries(client, url)[0] == 0


def test_meetings_count_is_kept_within_the_minute_and_follows_a_new_meeting(client):
    """The list's COUNT is kept under its query: the moment in it is taken to the minute, so
    the next visitor in the same minute reads no COUNT (before, `now` made a new key each time)."""
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    from tests.participation.meeting_factories import make_meeting

    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    north, _south = two_areas()
    for number in range(3):
        make_meeting(north, title=f"Treffen {number}")
    url = reverse("participation:meeting-list")

    def counted(second):
        with (
            freeze_time(minute + timedelta(seconds=second)),
            CaptureQueriesContext(connection) as captured,
        ):
            response = client.get(url)
        assert response.status_code == 200
        return any("COUNT(" in query["sql"].upper() for query in captured), response

    assert counted(5)[0]
    assert not counted(40)[0]
    make_meeting(north, title="Neues Treffen")
    recounted, response = counted(50)
    assert recounted and "Neues Treffen" in response.content.decode()


def test_meeting_form_is_kept_blank_with_new_keys_and_comes_back_filled_in(client):
    """The registration form nobody has filled in is kept (its widgets cost more than the rest
    of the page); each page still gets its own form key, a form with errors shows what was
    typed, and a resident's form their name."""
    import re

    from quartier import formkeys
    from tests.participation.meeting_factories import make_meeting

    north, _south = two_areas()
    meeting = make_meeting(north, capacity=10)
    url = meeting.get_absolute_url()
    keys = []
    for _ in range(2):
        body = queries(client, url)[1].content.decode()
        keys += re.findall(r'name="form_key" value="([^"]+)"', body)
    assert len(keys) == 2 and keys[0] != keys[1]
    assert all(formkeys.PLACEHOLDER.decode() not in key for key in keys)
    response = client.post(url, {"name": "Ada Tippfehler", "email": "kaputt", "people": 1})
    assert response.status_code == 400
    assert 'value="Ada Tippfehler"' in response.content.decode()
    resident = make_user(first_name="Rita", last_name="Resident")
    client.force_login(resident)
    assert 'value="Rita Resident"' in queries(client, url)[1].content.decode()


def test_idea_form_is_kept_blank_per_visitor_or_account_and_follows_new_topics(client):
    """The blank idea form is kept (its widgets cost most of the page), apart for visitors
    (name, e-mail, consent) and accounts; a new topic shows at once, a form key is new on every
    page, a preselected area and a form with errors are rendered as they are."""
    import re

    from participation.topics.models import Topic

    north, _south = two_areas()
    url = reverse("participation:idea-create")
    first = queries(client, url)[1].content.decode()
    _count, second = queries(client, url)
    second = second.content.decode()
    assert 'name="author_email"' in second
    keys = re.findall(r'name="form_key" value="([^"]+)"', first + second)
    assert len(set(keys)) == 2
    Topic.objects.create(name="Neues Thema Spielstraße", slug="spielstrasse")
    assert "Neues Thema Spielstraße" in queries(client, url)[1].content.decode()
    chosen = queries(client, url, gebiet=north.slug)[1].content.decode()
    assert f'<option value="{north.pk}" selected>' in chosen
    response = client.post(url, {"title": "Mein getippter Titel", "text": ""})
    assert response.status_code == 400
    assert 'value="Mein getippter Titel"' in response.content.decode()
    client.force_login(make_user())
    resident = queries(client, url)[1].content.decode()
    assert 'name="author_email"' not in resident and 'name="title"' in resident


def test_area_page_follow_form_is_kept_blank_with_a_new_key_on_every_page(client):
    import re

    north, _south = two_areas()
    url = north.get_absolute_url()
    keys = []
    for _ in range(2):
        body = queries(client, url)[1].content.decode()
        assert 'name="email"' in body and f'name="area" value="{north.pk}"' in body
        keys += re.findall(r'name="form_key" value="([^"]+)"', body)
    assert len(set(keys)) == len(keys) >= 2
    client.force_login(make_user())
    body = queries(client, url)[1].content.decode()
    assert 'name="email"' not in body and "Folgen" in body


def test_a_merged_idea_s_page_follows_its_original(client):
    """A duplicate's page links to its original by title: it follows the original's changes
    and a later merge of the original (which moves the older duplicates without a signal)."""
    from participation.ideas.duplicates import idea_mark_duplicate

    north, _south = two_areas()
    manager = make_manager(north)
    first = make_idea(north, title="Bank am Brunnen")
    second = make_idea(north, title="Sitzbank beim Brunnen")
    third = make_idea(north, title="Bänke rund um den Brunnen")
    idea_mark_duplicate(idea=first, original=second, by=manager)
    url = first.get_absolute_url()
    assert "Sitzbank beim Brunnen" in queries(client, url)[1].content.decode()
    assert queries(client, url)[0] == 0  # kept
    second.title = "Sitzbänke beim Brunnen"
    second.save()
    assert "Sitzbänke beim Brunnen" in queries(client, url)[1].content.decode()
    idea_mark_duplicate(idea=second, original=third, by=manager)
    page = queries(client, url)[1].content.decode()
    assert f'href="{third.get_absolute_url()}"' in page and "Sitzbänke" not in page


@pytest.fixture
def rendered_sections(monkeypatch):
    """The keys of the area page's sections rendered afresh (not kept), per request."""
    from neighbourhoods.registry import SectionRegistry

    rendered = []
    render = SectionRegistry._render

    def spy(section, args, request):
        rendered.append(section.key)
        return render(section, args, request)

    monkeypatch.setattr(SectionRegistry, "_render", staticmethod(spy))
    return rendered


def test_area_page_sections_follow_only_the_rows_they_show(client, rendered_sections):
    """A comment in the area renders the ideas again, not the next meetings; a registration
    the meetings, not the ideas; the partners' section follows the network alone."""
    from participation.meetings.services import registration_create
    from tests.participation.meeting_factories import make_meeting

    north, south = two_areas()
    idea = make_idea(north, title="Bänke am Markt")
    meeting = make_meeting(north, title="Stadtteilrunde", capacity=20)
    url = north.get_absolute_url()
    queries(client, url)

    def fresh():
        rendered_sections.clear()
        response = queries(client, url)[1]
        return set(rendered_sections) - {"follow"}, response.content.decode()  # follow: live

    assert fresh()[0] == set()  # all kept
    services.comment_create(idea=idea, user=make_user(), text="Gerne!")
    again, _page = fresh()
    assert "ideas" in again and not {"next-meetings", "network", "mood"} & again
    registration_create(meeting=meeting, name="Erika", email="erika@example.org", people=3)
    again, page = fresh()
    assert again == {"next-meetings"}
    assert "17" in page  # places left, at once
    registration_create(
        meeting=make_meeting(south), name="Erika", email="erika@example.org", people=1
    )
    assert fresh()[0] == set()  # another area's meeting


def test_a_row_moved_to_another_area_leaves_the_first_area_s_page(client):
    """A meeting (or idea) saved with another area: both areas' sections follow at once."""
    from tests.participation.meeting_factories import make_meeting

    north, south = two_areas()
    meeting = make_meeting(north, title="Wandernde Runde")
    north_url, south_url = north.get_absolute_url(), south.get_absolute_url()
    assert "Wandernde Runde" in queries(client, north_url)[1].content.decode()
    assert "Wandernde Runde" not in queries(client, south_url)[1].content.decode()
    meeting.area = south
    meeting.save()
    assert "Wandernde Runde" not in queries(client, north_url)[1].content.decode()
    assert "Wandernde Runde" in queries(client, south_url)[1].content.decode()


# --- each process's own copies ----------------------------------------------------------------


def test_plain_values_come_from_the_process_until_a_write_or_their_seconds(monkeypatch, settings):
    """A kept value's key holds its versions: the process keeps plain ones for a few seconds
    and reads them without the shared cache; a write (a new version) shows at once; what the
    caller changes in what it got changes no later answer; rows (models) are never shared."""
    from quartier import localstore

    settings.FRAGMENT_LOCAL_SECONDS = 10
    now = [1000.0]
    monkeypatch.setattr(localstore.time, "monotonic", lambda: now[0])
    reads = []  # the kept values read from the shared cache (not the versions)
    shared = fragments.cache
    get, get_many = shared.get, shared.get_many

    class Shared:
        def get(self, key, *args, **kwargs):
            reads.extend([key] if ":f:" in key else [])
            return get(key, *args, **kwargs)

        def get_many(self, keys, *args, **kwargs):
            reads.extend(key for key in keys if ":f:" in key)
            return get_many(keys, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(shared, name)

    monkeypatch.setattr(fragments, "cache", Shared())
    built = []

    def build():
        built.append(1)
        return {"html": "<p>Hallo</p>", "cards": ["a", "b"]}

    first = fragments.cached("local-test", ["area:1"], build)
    first["cards"].append("changed by the caller")
    reads.clear()
    second = fragments.cached("local-test", ["area:1"], build)
    assert second == {"html": "<p>Hallo</p>", "cards": ["a", "b"]} and len(built) == 1
    assert reads == []  # only the versions
    fragments.bump("area:1")
    fragments.cached("local-test", ["area:1"], build)
    assert len(built) == 2  # the write shows at once
    now[0] += 11  # past the process's seconds: read from the shared cache again
    reads.clear()
    fragments.cached("local-test", ["area:1"], build)
    assert len(built) == 2 and len(reads) == 1
    north, _south = two_areas()
    fragments.cached("local-row", ["area:1"], lambda: north)
    reads.clear()
    assert fragments.cached("local-row", ["area:1"], lambda: None) == north
    assert len(reads) == 1  # a row: from the shared cache each time
