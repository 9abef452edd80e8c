import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.django_db
def test_english_home_page_is_in_english(client):
    body = client.get("/en/").content.decode()
    assert "<h1>Together for our quarter in Musterstadt</h1>" in body
    assert "Skip to content" in body
    assert "Gemeinsam für unser Quartier" not in body
    german = client.get("/").content.decode()
    assert "<h1>Gemeinsam für unser Quartier in Musterstadt</h1>" in german


@pytest.mark.django_db
def test_english_footer_links_are_in_english(client):
    body = client.get("/en/").content.decode()
    for text in ["Legal notice", "Privacy", "Accessibility"]:
        assert f">{text}</a>" in body


def _catalog(mo_path):
    with open(mo_path, "rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def test_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed, cannot compile the .po to compare")
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE / "django.po")],
        check=True,
        capture_output=True,
    )
    committed = _catalog(CATALOGUE / "django.mo")
    compiled = _catalog(fresh)
    assert committed == compiled, (
        "locale/en/LC_MESSAGES/django.mo is out of date: run `python manage.py compilemessages`"
    )


def test_every_message_is_translated_and_none_is_fuzzy():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    # An empty msgstr not continued on the next line is untranslated (the header continues).
    untranslated = re.findall(r'^msgstr ""$(?!\n")', po, flags=re.MULTILINE)
    assert len(untranslated) == 0, "untranslated messages in locale/en/LC_MESSAGES/django.po"
    assert "#, fuzzy" not in po
