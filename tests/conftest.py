import os
import secrets

import pytest
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_finished

# With CACHE_URL=redis://… (CI's Redis job) the tests share that Redis, each under its own prefix.
REDIS_URL = (
    os.environ.get("CACHE_URL", "") if os.environ.get("CACHE_URL", "").startswith("redis") else ""
)


RUN = secrets.token_hex(4)


@pytest.fixture(autouse=True, scope="session")
def _redis_keys_removed_afterwards():
    yield
    if REDIS_URL:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"test-{RUN}-*"):
            client.delete(key)


def _raise_failed_task(sender, task_result, **kwargs):
    """The immediate backend records a task's exception; in tests it fails the test instead."""
    if task_result.errors:
        raise AssertionError(
            f"task {task_result.task.module_path} failed:\n{task_result.errors[-1].traceback}"
        )


task_finished.connect(_raise_failed_task, sender=ImmediateBackend, dispatch_uid="tests-tasks")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast hashing, a private cache and media folder per test, fresh geometry index; tasks
    run at once when queued (after the commit, like a worker that is always there)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{tmp_path.name}",
        }
        if not REDIS_URL
        else {
            "BACKEND": "quartier.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{RUN}-{tmp_path.name}",
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The anonymous page cache (quartier.pagecache) is off in tests that don't ask for it.
    settings.PAGE_CACHE_SECONDS = 0
    settings.REPORT_CACHE_SECONDS = 0  # likewise the shared report cache
    settings.FRAGMENT_CACHE_SECONDS = 0  # and the kept fragments (tests/quartier/test_fragments.py)
    settings.REFUSED_POSTS_LIMIT = 0  # and the refused-posts guard (test_refused_posts.py)
    if "STAFF_2FA" not in os.environ:  # staff's second factor: off unless a test asks for it
        settings.STAFF_2FA = False
    from django.utils import translation

    from quartier.pagecache import clear_local

    clear_local()

    from neighbourhoods.lookup import reset_cache

    translation.activate(settings.LANGUAGE_CODE)  # no language leaks from an earlier test

    reset_cache()
    yield
    reset_cache()


@pytest.fixture
def requests_commit(monkeypatch, django_capture_on_commit_callbacks):
    """The test client's requests commit as in production: what a request left for after its
    commit (queued mails, jobs) runs before the response is returned."""
    from django.test import Client

    request = Client.request

    def committing_request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committing_request)
