"""One-time form keys (quartier.formkeys): signed, expiring, claimed once, fresh per visitor."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartier import formkeys
from quartier.models import FormKey
from quartier.pagecache import clear_local
from tests.factories import make_area, square

KEY = re.compile(r'name="form_key" value="([^"]+)"')


def test_a_key_is_signed_and_new_each_time():
    first, second = formkeys.issue(), formkeys.issue()
    assert first != second
    assert formkeys.unsign(first) != formkeys.unsign(second)
    with pytest.raises(ValidationError):
        formkeys.unsign(first[:-1] + ("A" if first[-1] != "A" else "B"))


def test_a_key_expires():
    key = formkeys.issue()
    later = time.time() + formkeys.MAX_AGE.total_seconds() + 60
    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(ValidationError),
    ):
        formkeys.unsign(key)


@pytest.mark.django_db
def test_an_expired_form_is_refused_with_everything_typed_and_a_new_key(client, settings):
    settings.RATELIMIT_ENABLED = False
    area = make_area("Nordstadt")
    old = formkeys.issue()
    later = time.time() + formkeys.MAX_AGE.total_seconds() + 60
    data = {"page_url": "/ideen/", "description": "Schrift zu klein", "form_key": old}
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(reverse("legal:barrierefreiheit"), data)
    assert response.status_code == 200  # the form view's own answer for errors
    content = response.content.decode()
    assert "zu lange geöffnet" in content and "Schrift zu klein" in content
    assert KEY.search(content).group(1) != old
    assert area.pk and not FormKey.objects.exists()


@pytest.mark.django_db
def test_once_claims_the_key_with_the_row_and_frees_it_when_creating_fails():
    def fail():
        FormKey.objects.create(scope="other", key="x" * 24)  # something written, then…
        raise ValidationError("nein")

    key = formkeys.unsign(formkeys.issue())
    with pytest.raises(ValidationError):
        formkeys.once(scope="test", key=key, create=fail)
    assert not FormKey.objects.exists()  # neither the key nor what was written

    calls = []
    outcome = formkeys.once(scope="test", key=key, create=lambda: calls.append(1) or "/erst/")
    assert outcome == formkeys.Outcome(url="/erst/", replayed=False)
    outcome = formkeys.once(scope="test", key=key, create=lambda: calls.append(2) or "/zweit/")
    assert outcome == formkeys.Outcome(url="/erst/", replayed=True)
    assert calls == [1]
    assert formkeys.first_url(scope="test", key=key) == "/erst/"
    assert formkeys.first_url(scope="another form", key=key) is None


@pytest.mark.django_db
def test_purge_deletes_keys_older_than_their_forms_may_be():
    FormKey.objects.create(scope="test", key="a" * 24)
    old = FormKey.objects.create(scope="test", key="b" * 24)
    FormKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - formkeys.MAX_AGE - timedelta(minutes=1)
    )
    assert formkeys.formkeys_purge(dry_run=True) == 1
    assert formkeys.formkeys_purge() == 1
    assert list(FormKey.objects.values_list("key", flat=True)) == ["a" * 24]


@pytest.mark.django_db
def test_purge_unconfirmed_purges_the_keys_too():
    from django.core.management import call_command

    old = FormKey.objects.create(scope="test", key="b" * 24)
    FormKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    call_command("purge_unconfirmed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not FormKey.objects.exists()


@pytest.mark.django_db
def test_a_cached_form_page_gives_every_visitor_their_own_keys(settings):
    """The page cache stores a placeholder for each key and fills in new ones per visitor."""
    settings.PAGE_CACHE_SECONDS = 60
    clear_local()
    make_area("Nordstadt", boundary=square(7.46, 51.51))
    url = reverse("network:join-request")
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)
        third = Client().get(url)
    clear_local()
    assert len(queries) == 0  # both served from the cache
    keys = [KEY.findall(response.content.decode()) for response in (first, second, third)]
    assert all(len(found) == 1 for found in keys)
    assert len({found[0] for found in keys}) == 3
    for (key,) in keys:
        formkeys.unsign(key)
    assert formkeys.PLACEHOLDER.decode() not in second.content.decode()
