"""The directory and the partner pages keep what they show as fragments (quartier/fragments.py)
until a row of the network or of the area tree changes; every write shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods.models import Area
from network.models import Partner
from tests.factories import make_area
from tests.network.factories import make_contact, make_cooperation, make_partner

pytestmark = pytest.mark.django_db
LIST = reverse("network:partner-list")


@pytest.fixture(autouse=True)
def fragments_on(settings):
    """Off in other tests (tests/conftest.py); on here, as in production."""
    settings.FRAGMENT_CACHE_SECONDS = 300


def get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured), response.content.decode()


@pytest.fixture
def city():
    south = make_area("Südstadt")
    north = make_area("Nordstadt")
    a = make_partner("Familienzentrum", kind="social", areas=[south], description="Elterncafé")
    b = make_partner("Sportverein Süd", areas=[south])
    make_partner("Heimatverein Nord", areas=[north])
    return {"south": south, "north": north, "a": a, "b": b}


def test_directory_kept_reads_nothing_and_shows_a_new_partner_at_once(client, city):
    get(client, LIST)
    warm, html = get(client, LIST)
    assert warm == 0
    assert "Familienzentrum" in html and "3 Partner gefunden" in html
    make_partner("Tafel", kind="social", areas=[city["north"]])
    _cold, html = get(client, LIST)
    assert "Tafel" in html and "4 Partner gefunden" in html


def test_directory_kept_per_filter_and_page(client, city):
    get(client, LIST, {"kind": "social"})
    warm, html = get(client, LIST, {"kind": "social"})
    assert warm <= 1  # the chosen kind needs no query; an area's slug is looked up
    assert "Familienzentrum" in html and "Sportverein" not in html
    _queries, html = get(client, LIST, {"area": "nordstadt"})
    assert "Heimatverein Nord" in html and "Familienzentrum" not in html


def test_directory_text_search_is_not_kept(client, city):
    get(client, LIST, {"q": "eltern"})
    warm, html = get(client, LIST, {"q": "eltern"})
    assert warm > 0
    assert "Familienzentrum" in html


def test_directory_keeps_no_foreign_parameter_in_its_links(client, city):
    for index in range(25):
        make_partner(f"Verein {index:02d}", areas=[city["south"]])
    _queries, html = get(client, LIST, {"kind": "association", "evil": "x"})
    assert "?kind=association&amp;page=2" in html  # the pagination: the form's fields only
    assert "evil=x&amp;page=" not in html and "evil=x" not in html.split('id="partner-map"')[1]


def test_partner_page_kept_and_shows_an_edit_at_once(client, city):
    partner = city["a"]
    make_cooperation(partner, city["b"], title="Familienfest")
    url = partner.get_absolute_url()
    cold, _html = get(client, url)
    warm, html = get(client, url)
    # the partner, its upcoming events and its meetings are kept too (a minute at most)
    assert warm == 0 and cold > 3
    assert "Familienfest" in html and "Elterncafé" in html
    make_contact(partner, public=True, name="Frau Yilmaz")
    assert "Frau Yilmaz" in get(client, url)[1]
    Partner.objects.get(pk=city["b"].pk).save()  # a cooperating partner renamed, say
    Area.objects.filter(pk=city["south"].pk).update(name="Südstadt-Mitte")
    city["south"].refresh_from_db()
    city["south"].save()
    assert "Südstadt-Mitte" in get(client, url)[1]


def test_partner_page_shows_a_new_meeting_and_event_at_once(client, city):
    """What moves on (its meetings, its upcoming events) follows a write at once."""
    from tests.participation.meeting_factories import make_meeting

    partner = city["a"]
    url = partner.get_absolute_url()
    get(client, url)
    make_meeting(city["south"], title="Sprechstunde der Beratungsstelle", organiser_partner=partner)
    assert "Sprechstunde der Beratungsstelle" in get(client, url)[1]
