"""Every public page needs the same number of SQL queries with 10 and with ~1,000 items.

The data comes from `tests/bench/seed_bench.py` (the benchmark's data set, small): first 10
ideas (and the proportional comments, supports, meetings, partners, mood answers), then ~1,000
more ideas with 1,000 meetings and partners. Each page is fetched for the richest object of its
kind (the area with most ideas, the idea with most comments, …). The anonymous page cache is
off. The data is created once, in the first test (its transaction is rolled back).
"""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from neighbourhoods.models import Area
from network import selectors as network_selectors
from network.models import Partner
from participation.ideas import selectors as idea_selectors
from participation.ideas.models import Idea
from participation.meetings.models import Meeting
from participation.topics.models import Topic
from tests.bench import seed_bench

PAGES = [
    "home",
    "areas",
    "area page",
    "ideas",
    "ideas filtered",
    "ideas search",
    "idea page",
    "ideas geojson",
    "ideas geojson bbox",
    "ideas geojson clustered",
    "idea map",
    "meetings",
    "meeting page",
    "network",
    "partner page",
    "network picture",
    "mood",
]


def urls():
    area = (
        Area.objects.current()
        .filter(kind=Area.Kind.SOCIAL_SPACE)
        .annotate(n=Count("ideas"))
        .order_by("-n", "pk")
        .first()
    )
    idea = Idea.objects.public().order_by("-comment_count", "-support_count", "pk").first()
    meeting = Meeting.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()
    partner = Partner.objects.annotate(n=Count("cooperations")).order_by("-n", "pk").first()
    topic = (
        Topic.objects.annotate(n=Count("ideas", filter=Q(ideas__kind="idea")))
        .order_by("-n", "pk")
        .first()
    )
    lng, lat = idea.location["coordinates"] if idea.location else (7.46, 51.5)
    bbox = f"{lng - 0.02},{lat - 0.02},{lng + 0.02},{lat + 0.02}"
    return {
        "home": "/",
        "areas": "/quartiere/",
        "area page": f"/quartiere/{area.slug}/",
        "ideas": "/ideen/",
        "ideas filtered": f"/ideen/?topic={topic.pk}&kind=idea&sort=supported",
        "ideas search": "/ideen/?q=Bank",
        "idea page": f"/ideen/{idea.pk}/",
        "ideas geojson": "/ideen.geojson",
        "ideas geojson bbox": f"/ideen.geojson?bbox={bbox}",
        "ideas geojson clustered": "/ideen.geojson?bbox=7.3,51.4,7.6,51.6&kind=idea",
        "idea map": "/ideen/karte/",
        "meetings": "/treffen/",
        "meeting page": f"/treffen/{meeting.pk}/",
        "network": "/netzwerk/",
        "partner page": f"/netzwerk/{partner.slug}/",
        "network picture": "/netzwerk/bild/",
        "mood": "/stimmung/",
    }


def measure():
    client = Client()
    counts = {}
    for name, url in urls().items():
        # with the limit at 0, the whole city comes as area clusters with 10 ideas too
        limit = 0 if name == "ideas geojson clustered" else idea_selectors.MAP_CLUSTER_LIMIT
        with (
            mock.patch.object(idea_selectors, "MAP_CLUSTER_LIMIT", limit),
            # the picture itself (with 1,000 partners the page shows the areas' overview
            # instead: its own fixed count, tests/network/test_picture.py)
            mock.patch.object(network_selectors, "PICTURE_MAX_PARTNERS", 10**6),
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        if name == "ideas geojson clustered":
            assert response.json()["clustered"] is True
        counts[name] = len(queries)
    return counts


_measured = {}


@pytest.fixture
def query_counts(db):
    """Seeded and measured once (in the first test, whose transaction is rolled back)."""
    if not _measured:
        locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        with override_settings(PAGE_CACHE_SECONDS=0, CACHES=locmem, RATELIMIT_ENABLED=False):
            out = io.StringIO()
            call_command(seed_bench.Command(), ideas=10, partners=10, meetings=10, stdout=out)
            few = measure()
            call_command(
                seed_bench.Command(),
                ideas=1000,
                partners=1000,
                meetings=1000,
                force=True,
                stdout=out,
            )
            assert Idea.objects.public().count() > 900
            _measured.update(few=few, many=measure())
    return _measured["few"], _measured["many"]


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow(query_counts, page):
    few, many = query_counts
    assert few[page] == many[page], f"{page}: {few[page]} queries with 10, {many[page]} with 1000"


def test_query_counts_stay_small(query_counts):
    few, _many = query_counts
    assert max(few.values()) <= 25, few
