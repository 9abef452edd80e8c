import pytest
from django.test import RequestFactory

from quartier.context_processors import map_config


@pytest.mark.parametrize(
    ("tiles", "needs_consent", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", True, "https://tile.openstreetmap.org"),
        ("https://karten.musterstadt.example:8443/{z}/{x}/{y}.png", True, None),
        ("http://testserver/tiles/{z}/{x}/{y}.png", False, ""),
        ("/tiles/{z}/{x}/{y}.png", False, ""),
    ],
)
def test_consent_only_for_tiles_from_another_origin(settings, tiles, needs_consent, origin):
    settings.MAP_TILES_URL = tiles
    config = map_config(RequestFactory().get("/"))
    assert config["needsConsent"] is needs_consent
    assert config["tiles"] == tiles
    if origin is not None:
        assert config["tilesOrigin"] == origin


@pytest.mark.django_db
def test_csp_allows_images_from_the_configured_tile_origin(client, settings):
    response = client.get("/")
    img_src = next(
        part for part in response.headers["Content-Security-Policy"].split(";") if "img-src" in part
    )
    assert settings.MAP_TILES_ORIGIN in img_src
