import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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


# Every catalog in locale/: (language, domain). German is the source language: it has only
# the JavaScript catalog; the translators' catalogs (tr, ar, uk, ru) are checked the same way.
CATALOGUES = sorted(
    (po.parent.parent.name, po.stem) for po in (ROOT / "locale").glob("*/LC_MESSAGES/*.po")
)
CATALOGUE_IDS = [f"{language}-{domain}" for language, domain in CATALOGUES]


def _po(language, domain):
    return ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


def test_every_offered_language_has_a_catalog():
    from quartier.settings import KNOWN_LANGUAGES

    languages = {language for language, domain in CATALOGUES if domain == "django"}
    assert languages == set(KNOWN_LANGUAGES) - {"de"}


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_committed_mo_is_compiled_from_the_committed_po(tmp_path, language, domain):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed, cannot compile the .po to compare")
    po = _po(language, domain)
    fresh = tmp_path / f"{domain}.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt --check-format {po}: {result.stderr}"
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run `python manage.py compilemessages`"
    assert _catalog(committed) == _catalog(fresh), (
        f"{committed} is out of date: run `python manage.py compilemessages`"
    )


@pytest.mark.parametrize(("language", "domain"), CATALOGUES, ids=CATALOGUE_IDS)
def test_every_message_is_translated_and_none_is_fuzzy(language, domain):
    po = _po(language, domain).read_text(encoding="utf-8")
    # An empty msgstr not continued on the next line is untranslated (the header continues);
    # so is an empty plural form (msgstr[n] "").
    untranslated = re.findall(r'^msgstr(?:\[\d+\])? ""$(?!\n")', po, flags=re.MULTILINE)
    assert len(untranslated) == 0, f"{len(untranslated)} untranslated messages in {language}"
    assert "#, fuzzy" not in po, f"fuzzy messages in {language}"
