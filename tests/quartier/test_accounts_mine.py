"""Mein Konto: contributions from the personal-data registry, data download, deletion."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartier import personal_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch, settings, tmp_path):
    """An empty registry for the test, with a stand-in provider that records its calls."""
    monkeypatch.setattr(personal_data, "_providers", {})
    (tmp_path / "mine.html").write_text(
        '<section id="{{ anchor }}">{% for item in items %}'
        '<a href="{{ item.url }}">{{ item.title }}</a>{% endfor %}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    calls = {"anonymise": [], "items": 3}

    def contributions(user):
        items = [
            {"title": f"<b>Idee {i}</b>", "url": f"/ideen/{i}/"}
            for i in reversed(range(calls["items"]))
        ]
        return {"anchor": "ideen", "heading": "Ideen", "count": len(items), "items": items}

    personal_data.register_personal_data(
        "ideas",
        export=lambda user: [{"title": "Mehr Bänke", "author": user.username}],
        anonymise=lambda user: calls["anonymise"].append(user.pk),
        contributions=personal_data.ContributionsSection(
            template_name="mine.html", context=contributions
        ),
    )
    personal_data.register_personal_data(
        "empty",
        export=lambda user: [],
        contributions=personal_data.ContributionsSection(
            template_name="mine.html",
            context=lambda user: {"anchor": "leer", "heading": "Leer", "count": 0},
        ),
    )
    return calls


@pytest.fixture
def berta(client):
    user = make_user("berta", email="berta@example.org", first_name="Berta")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "name",
    ["accounts:overview", "accounts:contributions", "accounts:data-export", "accounts:delete"],
)
def test_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_overview(client, berta):
    response = client.get(reverse("accounts:overview"))
    body = response.content.decode()
    assert "Mein Konto" in body and "berta@example.org" in body
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_contributions_empty_state(client, berta, monkeypatch):
    monkeypatch.setattr(personal_data, "_providers", {})
    response = client.get(reverse("accounts:contributions"))
    assert "noch nichts beigetragen" in response.content.decode()


def test_contributions_from_providers_in_their_sections_and_escaped(client, berta, registry):
    body = client.get(reverse("accounts:contributions")).content.decode()
    assert body.index("Idee 2") < body.index("Idee 1") < body.index("Idee 0")
    assert 'href="#ideen"' in body and 'id="leer"' not in body  # empty sections left out
    assert "<b>Idee" not in body
    assert "&lt;b&gt;Idee 1&lt;/b&gt;" in body
    assert 'href="/ideen/1/"' in body


def test_contributions_queries_do_not_grow(client, berta, registry):
    url = reverse("accounts:contributions")
    registry["items"] = 2
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    registry["items"] = 200
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


@pytest.mark.parametrize("method", ["get", "post"])
def test_data_download(client, berta, registry, method):
    response = getattr(client, method)(reverse("accounts:data-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="quartier-meine-daten-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "berta"
    assert data["account"]["email"] == "berta@example.org"
    assert data["data"]["ideas"] == [{"title": "Mehr Bänke", "author": "berta"}]


def test_data_download_shows_only_own_data(client, berta, registry):
    make_user("anna", email="anna@example.org")
    body = client.get(reverse("accounts:data-export")).content.decode()
    assert "anna" not in body


def test_delete_needs_the_password(client, berta, registry):
    url = reverse("accounts:delete")
    for data in [{}, {"password": "falsch"}, {"password": "x" * 10000}]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert "password" in response.context["form"].errors
    assert get_user_model().objects.filter(pk=berta.pk).exists()
    assert registry["anonymise"] == []


def test_delete_anonymises_then_deletes_and_logs_out(client, berta, registry):
    pk = berta.pk
    response = client.post(reverse("accounts:delete"), {"password": "geheim-und-lang-genug"})
    assert response["Location"] == reverse("home")
    assert registry["anonymise"] == [pk]
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert "_auth_user_id" not in client.session
    home = client.get(response["Location"])
    assert "Ihr Konto ist gelöscht" in home.content.decode()


def test_delete_rolls_back_when_a_provider_fails(client, berta, monkeypatch):
    monkeypatch.setattr(personal_data, "_providers", {})

    def broken(user):
        raise RuntimeError("kaputt")

    personal_data.register_personal_data("broken", export=list, anonymise=broken)
    with pytest.raises(RuntimeError):
        client.post(reverse("accounts:delete"), {"password": "geheim-und-lang-genug"})
    assert get_user_model().objects.filter(pk=berta.pk).exists()


def test_delete_needs_csrf(berta):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(berta)
    assert (
        strict.post(reverse("accounts:delete"), {"password": "geheim-und-lang-genug"}).status_code
        == 403
    )
    assert get_user_model().objects.filter(pk=berta.pk).exists()


def test_a_provider_in_the_older_form_gets_a_plain_list(client, berta, monkeypatch):
    monkeypatch.setattr(personal_data, "_providers", {})
    personal_data.register_personal_data(
        "funds",
        export=lambda user: [],
        contributions=lambda user: [
            {"title": "Antrag Stadtteilfest", "url": "/fonds/1/", "date": "2026-05-01"},
            {"title": "Antrag Bank", "url": "/fonds/2/", "date": "2026-06-01"},
        ],
    )
    body = client.get(reverse("accounts:contributions")).content.decode()
    assert body.index("Antrag Bank") < body.index("Antrag Stadtteilfest")
    assert 'href="#funds"' in body and "Weitere Beiträge" in body
