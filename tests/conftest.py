import os

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast hashing, a private cache and media folder per test, fresh geometry index."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{tmp_path.name}",
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The anonymous page cache (quartier.pagecache) is off in tests that don't ask for it.
    settings.PAGE_CACHE_SECONDS = 0
    settings.REPORT_CACHE_SECONDS = 0  # likewise the shared report cache
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
