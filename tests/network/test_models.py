import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network.models import Partner, validate_point
from network.services import cooperation_create
from tests.factories import make_area, square
from tests.network.factories import make_partner

pytestmark = pytest.mark.django_db


def test_partner_names_are_unique_case_insensitively():
    make_partner("Bürgerverein Mitte")
    with pytest.raises(ValidationError):
        make_partner("bürgerverein mitte")
    with pytest.raises(ValidationError):
        make_partner("  BÜRGERVEREIN   Mitte ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(name="BÜRGERVEREIN MITTE", slug="other", kind="other")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/"],
)
def test_only_http_websites_are_valid(url):
    with pytest.raises(ValidationError) as error:
        make_partner("Verein", website=url)
    assert "website" in error.value.message_dict


def test_database_refuses_a_javascript_website():
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(name="X", slug="x", kind="other", website="javascript:alert(1)")


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [200, 51]},
        {"type": "Point", "coordinates": [7, 95]},
        {"type": "Point", "coordinates": ["7", "51"]},
        {"type": "Polygon", "coordinates": []},
        [7, 51],
        {"type": "Point", "coordinates": [7]},
    ],
)
def test_points_are_validated(value):
    with pytest.raises(ValidationError):
        validate_point(value)


def test_point_resolves_the_area():
    quarter = make_area("Südstadt", boundary=square(7.45, 51.48, 0.04))
    space = make_area("Südstadt-West", parent=quarter, boundary=square(7.45, 51.48, 0.02))
    partner = make_partner(point={"type": "Point", "coordinates": [7.455, 51.485]})
    assert partner.area == space
    outside = make_partner(point={"type": "Point", "coordinates": [1.0, 1.0]})
    assert outside.area is None


def test_cooperation_needs_two_partners():
    one = make_partner()
    with pytest.raises(ValidationError):
        cooperation_create(partners=[one], kind="project", title="Allein")
    with pytest.raises(ValidationError):
        cooperation_create(partners=[one, one], kind="project", title="Doppelt")


def test_reserved_slugs_are_not_used():
    assert make_partner("Mitmachen").slug != "mitmachen"
    assert make_partner("Bild").slug != "bild"


def test_partner_registers_with_the_split_hook():
    from neighbourhoods.registry import located_models

    entries = [entry for entry in located_models() if entry.model is Partner]
    assert entries and entries[0].area_field == "area" and entries[0].point_field == "point"
