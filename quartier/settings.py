"""Settings for Quartier, read from the environment in this one place.

Development works without any variable set (SQLite, console mail, DEBUG on). With DEBUG off,
SECRET_KEY must be given and the security settings are strict, so `check --deploy` is clean.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from quartier.middleware import static_file_headers
from quartier.origins import embed_origins, origin_of

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def proxy_networks(items):
    """TRUSTED_PROXIES: each item an IP address or network (203.0.113.7, 10.0.0.0/8, ::1)."""
    networks = []
    for item in items:
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from error
    return networks


def database_from_url(url):
    """Translate a DATABASE_URL (sqlite:///path or postgres://user:pw@host:port/name)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/") and not parts.netloc and url.startswith("sqlite:////"):
            name = path
        else:
            name = BASE_DIR / path.lstrip("/") if path else BASE_DIR / "db.sqlite3"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


# Every language the portal has catalogs for, in the switcher's order; each named in itself.
KNOWN_LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
}


def portal_languages(value):
    """PORTAL_LANGUAGES: the languages a city offers ("de,en,tr"; empty = all). German is always
    offered (it is the portal's own language); an unknown code stops the start."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in KNOWN_LANGUAGES]
    if unknown:
        raise ImproperlyConfigured(
            f"PORTAL_LANGUAGES: {', '.join(map(repr, unknown))} unknown; "
            f"the portal speaks {', '.join(KNOWN_LANGUAGES)}"
        )
    chosen = {"de", *codes} if codes else set(KNOWN_LANGUAGES)
    return [(code, name) for code, name in KNOWN_LANGUAGES.items() if code in chosen]


def cache_from_url(url):
    """CACHE_URL: locmem://, db://table, redis://host:port/db (needs the redis package)."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "quartier"}
    if parts.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": parts.netloc or "quartier_cache",
        }
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "quartier.cache.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL: unsupported scheme {parts.scheme!r}")


def tasks_from_name(name, *, rq_url):
    """TASKS_BACKEND: database (the queue is a table, no extra server), rq (Redis), immediate."""
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "rq": "django_tasks_rq.RQBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if name not in backends:
        raise ImproperlyConfigured(f"TASKS_BACKEND: {name!r} is none of {', '.join(backends)}")
    if name == "rq" and not rq_url.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs RQ_URL (or CACHE_URL) = redis://…")
    return {"default": {"BACKEND": backends[name], "QUEUES": ["default"]}}


def media_storage(kind):
    """MEDIA_STORAGE: local (MEDIA_ROOT, the default) or s3 (django-storages, S3_* settings)."""
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE: {kind!r} is neither local nor s3")
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("S3_URL_PROTOCOL", "https:"),
            "location": os.environ.get("S3_PREFIX", ""),
            "querystring_auth": env_bool("S3_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "default_acl": None,
        },
    }


def media_origins(storage):
    """Where photos are loaded from when they are not on the portal's own origin (for the CSP)."""
    options = storage.get("OPTIONS", {})
    if "bucket_name" not in options:
        return []
    if options["custom_domain"]:
        host = options["custom_domain"].split("/")[0]
        return [f"{options['url_protocol']}//{host}"]
    if options["endpoint_url"]:
        return [origin_of(options["endpoint_url"])]
    bucket, region = options["bucket_name"], options["region_name"]
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return [f"https://{host}" for host in hosts]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

CITY_NAME = os.environ.get("CITY_NAME", "Musterstadt")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "quartier",
    "neighbourhoods",
    "participation",
    "network",
    "quartier.apps.QuartierAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups for similar ideas; harmless on SQLite
    "django_otp",  # staff's second factor (quartier.accounts.second_factor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "leaflet",
    "django_filters",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",  # its table is the queue with TASKS_BACKEND=database
]

MIDDLEWARE = [
    "quartier.uploads.RequestSizeLimitMiddleware",
    "quartier.health.HealthCheckMiddleware",
    # before sessions, CSRF and views: a flood's 429 costs a counter read, not a page
    "quartier.ratelimit.RefusedPostsMiddleware",
    "quartier.uploads.TemporaryUploadCleanupMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "quartier.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "quartier.accounts.second_factor.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "quartier.middleware.PlainPolicyCSPMiddleware",
    "quartier.middleware.SecurityHeadersMiddleware",
    "quartier.middleware.RefuseNulBytesMiddleware",
    # innermost: whatever it meets (a database away) still gets the security headers
    "quartier.middleware.StaffAuditMiddleware",
]

ROOT_URLCONF = "quartier.urls"
WSGI_APPLICATION = "quartier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "quartier.context_processors.portal",
                "participation.opendata.context_processors.feed_links",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        **cache_from_url(os.environ.get("CACHE_URL", "db://quartier_cache")),
        # Several portals (or a test run) can share one Redis, each under its own prefix.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
    }
}
# Anonymous pages are kept this long at most (see quartier.pagecache); 0 turns that off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Bytes of pages each process keeps at most, and the largest page it keeps at all.
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_MB", "32")) * 1024 * 1024
PAGE_CACHE_MAX_ENTRY_BYTES = int(os.environ.get("PAGE_CACHE_MAX_ENTRY_KB", "512")) * 1024
REPORT_CACHE_SECONDS = int(os.environ.get("REPORT_CACHE_SECONDS", "300"))
# Fragments (area page sections, the network picture, the map's counts per area) are kept in
# the cache under versioned keys at most this long (quartier/fragments.py); 0 turns them off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "300"))
# each process's own copies of kept fragments (quartier.fragments): for at most this many
# seconds, in at most this many bytes
FRAGMENT_LOCAL_SECONDS = int(os.environ.get("FRAGMENT_LOCAL_SECONDS", "10"))
FRAGMENT_LOCAL_MAX_BYTES = int(os.environ.get("FRAGMENT_LOCAL_MAX_MB", "16")) * 1024 * 1024
# db (default), cache (CACHE_URL, e.g. Redis) or cached_db: every process must see the same.
SESSION_ENGINE = "django.contrib.sessions.backends." + os.environ.get("SESSION_ENGINE", "db")

# Background work through Django's Tasks API: every mail and every heavy job (quartier/tasks.py).
# One command runs a worker and the periodic jobs: `python manage.py worker`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_cache_url = os.environ.get("CACHE_URL", "")
RQ_URL = os.environ.get("RQ_URL") or (_cache_url if _cache_url.startswith("redis") else "")
TASKS = tasks_from_name(TASKS_BACKEND, rq_url=RQ_URL)
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": RQ_URL, "DEFAULT_TIMEOUT": 900}}
# How often the worker looks for mails and jobs left behind (a killed worker, a failed attempt
# whose retry is due) and how old they must be; also the scheduler's tick.
TASKS_SWEEP_SECONDS = int(os.environ.get("TASKS_SWEEP_SECONDS", "60"))

AUTH_USER_MODEL = "quartier.User"
# Staff accounts need a second factor (an authenticator app, recovery codes) on every log-in;
# on by default in production, off in development, tests and the demo unless set.
STAFF_2FA = env_bool("STAFF_2FA", not DEBUG)
OTP_TOTP_ISSUER = f"Quartier {CITY_NAME}"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-otp's own per-device delay would refuse a right code typed soon after a wrong one
# with the wrong-code message; the codes are throttled like log-ins instead (throttle.py).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
# Native names (not translated): a reader finds their language whatever the page's language.
LANGUAGES = portal_languages(os.environ.get("PORTAL_LANGUAGES", ""))
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
STORAGES = {
    "default": media_storage(MEDIA_STORAGE),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Static files carry the pages' security headers too (CSP, X-Frame-Options, Permissions-Policy).
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Larger request bodies are refused from their Content-Length before a byte is read (413).
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_MB", "12")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "quartier.uploads.TemporaryFileUploadHandler",  # refuses uploads cut off midway
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Quartier {CITY_NAME} <quartier@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where barriers reported through the accessibility statement's feedback form are sent.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "barrierefreiheit@localhost"
)

# Maps: tiles may come from the city's own server (then maps load at once) or from another
# origin (then each map waits for the visitor's consent before any tile is requested).
# Optional self-hosted geocoder for addresses the address register lacks (off when empty):
# the URL of a Photon (GEOCODER_KIND=photon) or Nominatim (nominatim) service of the city.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
GEOCODER_KIND = os.environ.get("GEOCODER_KIND", "photon")
if GEOCODER_KIND not in ("photon", "nominatim"):
    raise ImproperlyConfigured("GEOCODER_KIND must be photon or nominatim.")
if GEOCODER_URL and not GEOCODER_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("GEOCODER_URL must be an http:// or https:// URL.")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_CENTER = (51.5, 7.47)  # lat, lng of the (fictional) Musterstadt
# Only for the CSP below (fixed at start); pages derive the origin from MAP_TILES_URL per request.
MAP_TILES_ORIGIN = origin_of(MAP_TILES_URL)
LEAFLET_CONFIG = {
    "TILES": [("", MAP_TILES_URL, {"attribution": MAP_ATTRIBUTION})],
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": 13,
    "RESET_VIEW": False,
}

# Security. Strict unless DEBUG; SECURE_SSL_REDIRECT can be switched off where a proxy that
# terminates TLS redirects itself (set SECURE_PROXY_SSL_HEADER=1 behind such a proxy).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script of the portal reads the CSRF cookie (forms carry the token), so scripts need not see it.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [
            SELF,
            "data:",
            *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else []),
            *media_origins(STORAGES["default"]),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The widgets under /einbetten/ (participation.embeds), and only they, may be framed by these
# origins (comma-separated scheme://host[:port]); empty: by nobody.
EMBED_ORIGINS = embed_origins(env_list("EMBED_ORIGINS"))
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Abuse protection defaults (rate limits per IP / e-mail, see quartier.ratelimit).
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
# Anonymous POSTs refused (400, 403) this often from one client network within the period (in
# seconds) are answered 429 at once until it ends (quartier.ratelimit.RefusedPostsMiddleware);
# 0 turns it off.
REFUSED_POSTS_LIMIT = int(os.environ.get("REFUSED_POSTS_LIMIT", "40"))
REFUSED_POSTS_PERIOD = int(os.environ.get("REFUSED_POSTS_PERIOD", "600"))
# Reverse proxies whose X-Forwarded-For is believed (quartier.ratelimit.client_ip); none by
# default, so a header sent by a visitor is never taken for their address.
TRUSTED_PROXIES = proxy_networks(env_list("TRUSTED_PROXIES"))

# Mood barometer: aggregates are shown only from this many answers per area and quarter-year.
MOOD_MIN_ANSWERS = int(os.environ.get("MOOD_MIN_ANSWERS", "5"))
# Surveys: no result for a group of fewer responses; visitors (no account) per client network
# over a survey's whole run (a family or office shares one address).
SURVEY_MIN_ANSWERS = int(os.environ.get("SURVEY_MIN_ANSWERS", "5"))
SURVEY_ANSWERS_PER_NETWORK = int(os.environ.get("SURVEY_ANSWERS_PER_NETWORK", "20"))
# Contacts of people willing to help (activating interviews) are deleted after this many months.
HELPER_CONTACT_MONTHS = int(os.environ.get("HELPER_CONTACT_MONTHS", "12"))
# Most corner points an area boundary may have (admin, import, split); see neighbourhoods.geometry.
AREA_MAX_VERTICES = int(os.environ.get("AREA_MAX_VERTICES", "50000"))
IDEA_FLAG_THRESHOLD = int(os.environ.get("IDEA_FLAG_THRESHOLD", "3"))
# The back office's inbox lists published ideas still without an answer after this many days.
ANSWER_DUE_DAYS = int(os.environ.get("ANSWER_DUE_DAYS", "14"))
# How long an office's answer link stays valid (participation.offices; each reminder sends a
# fresh one).
OFFICE_LINK_DAYS = int(os.environ.get("OFFICE_LINK_DAYS", "60"))
# Partner calendars (network.calendars) never fetch from private or loopback addresses, except
# these "host:port" pairs (an intranet calendar server; tests use their local server).
CALENDAR_FEED_PRIVATE_ALLOWED = env_list("CALENDAR_FEED_PRIVATE_ALLOWED")
# Seconds one feed's whole fetch may take (each read has its own shorter timeout, which a server
# dripping a byte at a time would never trip); then the import records an error and goes on.
CALENDAR_FEED_TOTAL_TIMEOUT = float(os.environ.get("CALENDAR_FEED_TOTAL_TIMEOUT", "20"))
# The audit log (django-auditlog, read by the admin's "Protokoll"): staff changes only, related
# objects stored by name, no IP addresses (see quartier.middleware.StaffAuditMiddleware).
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
NETWORK_CONTACT_EMAIL = os.environ.get("NETWORK_CONTACT_EMAIL", "netzwerk@localhost")
# Printed paper cards (participation.paper): where to hand in or send a filled-in card.
PAPER_RETURN_ADDRESS = os.environ.get(
    "PAPER_RETURN_ADDRESS", f"Quartiersmanagement, Rathaus, {CITY_NAME}"
)

# Open data downloads (/offene-daten/): the licence shown with every download.
OPEN_DATA_LICENCE = os.environ.get(
    "OPEN_DATA_LICENCE",
    "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
)
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"
)
# The download files, built by `manage.py build_opendata` (participation/opendata/downloads.py)
# into this folder (shared between machines, like the media; empty: MEDIA_ROOT/opendata), at
# most every this many seconds.
OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR", "")
OPEN_DATA_BUILD_SECONDS = int(os.environ.get("OPEN_DATA_BUILD_SECONDS", "300"))
