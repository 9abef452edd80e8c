"""`purge_unconfirmed`: the cron job that deletes unconfirmed submissions after retention."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from participation.ideas.models import Idea
from participation.ideas.services import CONFIRM_MAX_AGE, UNCONFIRMED_GRACE, idea_set_photo
from tests.factories import make_user
from tests.participation.helpers import jpeg_with_gps, make_idea, two_areas, upload

pytestmark = pytest.mark.django_db


def _age(obj, field, days):
    type(obj).objects.filter(pk=obj.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=days)}
    )


def _run(*args):
    out = StringIO()
    call_command("purge_unconfirmed", *args, stdout=out)
    return out.getvalue()


def test_purges_only_expired_unconfirmed_ideas_and_their_files(settings):
    north, _south = two_areas()
    retention = (CONFIRM_MAX_AGE + UNCONFIRMED_GRACE).days
    stale = make_idea(north, title="Alt, nie bestätigt", confirmed_at=None)
    idea_set_photo(idea=stale, photo=upload(jpeg_with_gps()))
    files = [settings.MEDIA_ROOT / stale.photo.name, settings.MEDIA_ROOT / stale.thumbnail.name]
    assert all(path.exists() for path in files)
    _age(stale, "created_at", retention + 1)
    recent = make_idea(north, title="Neu, nie bestätigt", confirmed_at=None)
    _age(recent, "created_at", retention - 1)
    confirmed = make_idea(north, title="Alt, bestätigt")
    _age(confirmed, "created_at", 400)

    output = _run()

    assert "1 unconfirmed idea(s) deleted." in output
    assert set(Idea.objects.values_list("title", flat=True)) == {
        "Neu, nie bestätigt",
        "Alt, bestätigt",
    }
    assert not any(path.exists() for path in files)


def test_dry_run_counts_and_deletes_nothing():
    north, _south = two_areas()
    stale = make_idea(north, confirmed_at=None)
    _age(stale, "created_at", 30)
    account = make_user("nie-bestaetigt", is_active=False)
    _age(account, "date_joined", 30)

    output = _run("--dry-run")

    assert "1 unconfirmed idea(s) would be deleted." in output
    assert "1 unconfirmed account(s) would be deleted." in output
    assert Idea.objects.filter(pk=stale.pk).exists()
    assert type(account).objects.filter(pk=account.pk).exists()


def test_calls_the_accounts_purge_and_is_idempotent():
    account = make_user("nie-bestaetigt", is_active=False)
    _age(account, "date_joined", 30)
    active = make_user("aktiv")
    _age(active, "date_joined", 30)

    first = _run()
    second = _run()

    assert "1 unconfirmed account(s) deleted." in first
    assert "0 unconfirmed account(s) deleted." in second
    assert "0 unconfirmed idea(s) deleted." in second
    assert not type(account).objects.filter(pk=account.pk).exists()
    assert type(active).objects.filter(pk=active.pk).exists()


def test_unconfirmed_subscriptions_go_after_14_days_through_the_registry():
    from participation.subscriptions.models import Subscription
    from quartier.purge import purges

    assert {"ideas", "subscriptions"} <= {purge.key for purge in purges()}
    north, _south = two_areas()
    stale = Subscription.objects.create(email="alt@example.org", area=north)
    _age(stale, "created_at", 15)
    recent = Subscription.objects.create(email="neu@example.org", area=north)
    _age(recent, "created_at", 13)
    confirmed = Subscription.objects.create(
        email="ja@example.org", area=north, confirmed_at=timezone.now()
    )
    _age(confirmed, "created_at", 400)

    assert "1 unconfirmed subscription(s) would be deleted." in _run("--dry-run")
    assert "1 unconfirmed subscription(s) deleted." in _run()
    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "neu@example.org",
        "ja@example.org",
    }
    assert "0 unconfirmed subscription(s) deleted." in _run()
