"""Agora's settings, read from environment variables only (see .env.example)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from agora.core.catalogues import interface_languages

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


AGORA_ENV = os.environ.get("AGORA_ENV", "development")
PRODUCTION = AGORA_ENV == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)

VAR_DIR = Path(os.environ.get("AGORA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, or one generated once into var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when AGORA_ENV=production.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when AGORA_ENV=production.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Agora")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.mediawiki",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from static files (CSP: no CDN)
    "agora.core",
    "agora.accounts",
    "agora.groups",
    "agora.discuss",
    "agora.live",
    "agora.notifications",
    "agora.blog",
    "agora.events",
    "agora.moderation",
    "agora.trust",
    "agora.pages",
    "agora.search",
    "agora.feeds",
    "agora.syndication",
    "agora.mail",
    "agora.api",
    "agora.importers",
    "agora.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "agora.core.middleware.RejectControlCharactersMiddleware",
    # Static files are pre-compressed by WhiteNoise, which answers them before anything below runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML is compressed too. Inside WhiteNoise, so it never touches a static file's answer: it used to
    # gzip WhiteNoise's empty 304s into a body, and uvicorn dropped the connection on every revalidation.
    # Django's GZipMiddleware pads each response with random bytes against BREACH, and CSRF tokens are
    # masked per response.
    "agora.live.middleware.GZipExceptStreamsMiddleware",  # not server-sent events (agora/live)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A member's own interface language and time zone over the browser's and the site's (before the page
    # cache, which keys pages by the language).
    "agora.core.middleware.ReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agora.accounts.middleware.LastSeenMiddleware",
    "agora.trust.middleware.DayVisitMiddleware",
    # Innermost, so security headers, CSP and compression apply to cached pages too.
    "agora.core.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "agora.urls"
ASGI_APPLICATION = "agora.asgi.application"
WSGI_APPLICATION = "agora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "agora" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agora.core.context_processors.site",
                "agora.notifications.context_processors.unread_notifications",
                "agora.blog.context_processors.editorial",
            ],
        },
    }
]

# Database: SQLite (WAL) in var/ unless DATABASE_URL names another.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Pages run many small queries; PostgreSQL's JIT compiler spent 170 ms compiling a 0.3 ms
        # permission query whose estimate crossed jit_above_cost. Off for this app's connections only.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "agora.sqlite3")),
            # Keep the connection: opening one costs the PRAGMAs below on every request.
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory, or Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "agora"),
        }
    }
else:
    # Room for whole visitor pages and the per-visitor view marks side by side.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "agora",
            "OPTIONS": {"MAX_ENTRIES": envint("LOCMEM_CACHE_MAX_ENTRIES", 20000)},
        }
    }

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, refusing a suspended person (accounts/backends.py).
    "agora.accounts.backends.ModelBackend",
    "agora.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if envbool("AGORA_FAST_PASSWORDS", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "agora.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "agora.accounts.forms.LoginForm", "signup": "agora.accounts.forms.SignupForm"}
ACCOUNT_USERNAME_VALIDATORS = "agora.accounts.usernames.USERNAME_VALIDATORS"
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = False if envbool("AGORA_DISABLE_RATE_LIMITS", False) else {}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

# Mail: the console by default, SMTP when EMAIL_URL is set (smtp://user:pass@host:port, smtp+tls://...).
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Agora <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _mail = urlsplit(EMAIL_URL)
    _mail_ports = {"smtp": 25, "smtp+tls": 587, "submission": 587, "smtps": 465}
    if _mail.scheme not in _mail_ports:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls://, submission:// or smtps://.")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or _mail_ports[_mail.scheme]
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Log in with a Wikimedia account: allauth's MediaWiki provider (OAuth 2.0), keyed on the wiki's stable `sub`
# (agora/accounts/wikimedia.py, SocialAccountAdapter in agora/accounts/adapter.py). Configured from the
# environment only (an APP here, no database row); the button shows only when the consumer is set.
AGORA_MEDIAWIKI_URL = os.environ.get("AGORA_MEDIAWIKI_URL", "https://meta.wikimedia.org/w/rest.php").rstrip("/")
AGORA_MEDIAWIKI_CLIENT_ID = os.environ.get("AGORA_MEDIAWIKI_CLIENT_ID", "")
AGORA_MEDIAWIKI_CLIENT_SECRET = os.environ.get("AGORA_MEDIAWIKI_CLIENT_SECRET", "")
# Wikimedia's User-Agent policy: name the client and a way to reach its operators.
AGORA_OAUTH_USER_AGENT = os.environ.get(
    "AGORA_OAUTH_USER_AGENT", f"{SITE_NAME}/1.0 ({SITE_URL}; {DEFAULT_FROM_EMAIL}) Agora django-allauth"
)
# A wiki account with this many edits, this many days old, starts at trust level 1.
AGORA_WIKIMEDIA_TL1_EDITS = envint("AGORA_WIKIMEDIA_TL1_EDITS", 100)
AGORA_WIKIMEDIA_TL1_DAYS = envint("AGORA_WIKIMEDIA_TL1_DAYS", 30)
SOCIALACCOUNT_ADAPTER = "agora.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "agora.accounts.forms.SocialSignupForm"}
SOCIALACCOUNT_PROVIDERS = {
    "mediawiki": {
        # Ours keeps the edit count, registration date and block in the account's data.
        "provider_class": "agora.accounts.wikimedia.WikimediaProvider",
        "REST_API": AGORA_MEDIAWIKI_URL,
        "USER_AGENT": AGORA_OAUTH_USER_AGENT,
        "USERPAGE_TEMPLATE": AGORA_MEDIAWIKI_URL.removesuffix("rest.php") + "index.php?title=User:{username}",
    }
}
if AGORA_MEDIAWIKI_CLIENT_ID and AGORA_MEDIAWIKI_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS["mediawiki"]["APP"] = {
        "client_id": AGORA_MEDIAWIKI_CLIENT_ID,
        "secret": AGORA_MEDIAWIKI_CLIENT_SECRET,
    }
SOCIALACCOUNT_AUTO_SIGNUP = True  # when the wiki name is free and fits our rules; else the sign-up form
SOCIALACCOUNT_EMAIL_REQUIRED = False  # many wiki accounts have no confirmed address
SOCIALACCOUNT_EMAIL_VERIFICATION = "optional"
# An existing account is linked only through an address verified on both sides (the adapter checks ours).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # identity only: no token is kept

LANGUAGE_CODE = os.environ.get("AGORA_DEFAULT_LANGUAGE", "en")
LOCALE_PATHS = [BASE_DIR / "agora" / "locale"]
# The interface is offered in English and in every language whose catalogue in agora/locale is at least
# this share translated (a translator adds a language by adding its catalogue: README, "Languages").
AGORA_LANGUAGE_THRESHOLD = envint("AGORA_LANGUAGE_THRESHOLD", 90)
LANGUAGES, LANGUAGES_BIDI = interface_languages(LOCALE_PATHS[0], AGORA_LANGUAGE_THRESHOLD)
# The switcher's choice (/language/<code>) is kept a year; Django's default ends with the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "agora" / "static",
    ("vendor", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The events map: Leaflet and its marker-cluster plugin, served from npm's files as htmx is.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if envbool("AGORA_PLAIN_STATIC", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0


def _static_headers(headers, path: str, url: str) -> None:
    # Wiki pages include the widget's script by its plain name (a snippet pasted once must not change with
    # each deploy), so that one name is revalidated hourly; every other file is cached for the year above.
    if url.endswith("/agora/embed.js"):
        headers["Cache-Control"] = "public, max-age=3600"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_headers
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Events: who may create them, how far ahead recurring events are materialised, the map and the geocoder.
AGORA_EVENT_MIN_TRUST_LEVEL = envint("AGORA_EVENT_MIN_TRUST_LEVEL", 1)
AGORA_EVENT_HORIZON_DAYS = envint("AGORA_EVENT_HORIZON_DAYS", 400)
AGORA_EVENT_MAX_OCCURRENCES = envint("AGORA_EVENT_MAX_OCCURRENCES", 500)
AGORA_MAP_TILES_URL = os.environ.get("AGORA_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
AGORA_MAP_ATTRIBUTION = os.environ.get(
    "AGORA_MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# A Nominatim-compatible /search address; empty turns address suggestions off (coordinates still work).
AGORA_GEOCODER_URL = os.environ.get("AGORA_GEOCODER_URL", "https://nominatim.openstreetmap.org/search")
AGORA_GEOCODER_USER_AGENT = os.environ.get("AGORA_GEOCODER_USER_AGENT", f"Agora ({SITE_URL})")
AGORA_GEOCODER_TIMEOUT = float(os.environ.get("AGORA_GEOCODER_TIMEOUT", "5"))
AGORA_GEOCODER_MIN_INTERVAL = float(os.environ.get("AGORA_GEOCODER_MIN_INTERVAL", "1"))
AGORA_GEOCODER_CACHE_SECONDS = envint("AGORA_GEOCODER_CACHE_SECONDS", 7 * 24 * 3600)


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.") if parts.netloc else ""


# Security headers from day one; strict Content-Security-Policy: no inline script or style. Map tiles
# come from the tile host (img-src); images in posts are served from our origin (/img/remote/), never
# from their hosts, whose logs would see every reader; the geocoder is only ever called by the server,
# so connect-src stays 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [_origin(AGORA_MAP_TILES_URL)])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", PRODUCTION) else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' preload list binds the domain and its subdomains for months: the operator's
# deliberate choice (SECURE_HSTS_PRELOAD=true), so its absence is not reported as a flaw.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Forum rules.
AGORA_EDIT_WINDOW_SECONDS = envint("AGORA_EDIT_WINDOW_SECONDS", 24 * 3600)
AGORA_TOPICS_PER_PAGE = envint("AGORA_TOPICS_PER_PAGE", 30)
AGORA_POSTS_PER_PAGE = envint("AGORA_POSTS_PER_PAGE", 20)
AGORA_TITLE_MIN_LENGTH = 5
AGORA_TITLE_MAX_LENGTH = 255
AGORA_POST_MIN_LENGTH = 2
AGORA_POST_MAX_LENGTH = 32000
AGORA_AVATAR_MAX_BYTES = 5 * 1024 * 1024
AGORA_COVER_MAX_BYTES = 10 * 1000 * 1000
AGORA_WORKER_HEARTBEAT_SECONDS = 10
# Visitors' Discuss pages are cached whole for this long at most (0 turns the cache off); any write
# invalidates them at once.
AGORA_PAGE_CACHE_SECONDS = envint("AGORA_PAGE_CACHE_SECONDS", 300)
# A local-memory cache is each process's own, so processes that write (the task worker publishing a
# scheduled story, another server process, a manage.py command) tell the others through this file.
AGORA_PAGE_CACHE_STAMP = "" if REDIS_URL else str(VAR_DIR / "page-cache-stamp")
# An @group mention notifies at most this many of the group's members (owners first).
AGORA_GROUP_MENTION_MAX_MEMBERS = envint("AGORA_GROUP_MENTION_MAX_MEMBERS", 100)
# The group whose members run the blog's editorial workflow (anyone may ask to join it).
AGORA_EDITORIAL_GROUP = os.environ.get("AGORA_EDITORIAL_GROUP", "editorial-board")
# Syndicated blogs (agora.syndication): how often a feed is polled, how far failures push the next poll
# back (doubling each time), how much of a feed is read, and how many items a new feed brings at first.
AGORA_SYNDICATION_POLL_MINUTES = envint("AGORA_SYNDICATION_POLL_MINUTES", 60)
AGORA_SYNDICATION_MAX_BACKOFF_MINUTES = envint("AGORA_SYNDICATION_MAX_BACKOFF_MINUTES", 24 * 60)
AGORA_SYNDICATION_MAX_BYTES = envint("AGORA_SYNDICATION_MAX_BYTES", 2 * 1024 * 1024)
AGORA_SYNDICATION_CONNECT_TIMEOUT = float(os.environ.get("AGORA_SYNDICATION_CONNECT_TIMEOUT", "5"))
AGORA_SYNDICATION_READ_TIMEOUT = float(os.environ.get("AGORA_SYNDICATION_READ_TIMEOUT", "10"))
AGORA_SYNDICATION_TOTAL_SECONDS = float(os.environ.get("AGORA_SYNDICATION_TOTAL_SECONDS", "30"))
AGORA_SYNDICATION_FIRST_POLL_ITEMS = envint("AGORA_SYNDICATION_FIRST_POLL_ITEMS", 5)
AGORA_SYNDICATION_MAX_ITEMS_PER_POLL = envint("AGORA_SYNDICATION_MAX_ITEMS_PER_POLL", 30)
# Feeds on private or loopback addresses are refused unless this is on (a feed server on the intranet;
# the tests' local feed server).
AGORA_SYNDICATION_ALLOW_PRIVATE = envbool("AGORA_SYNDICATION_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}

# --- Safety (docs/moderators.md lists every setting) ---------------------------------------------
# Trust levels (agora.trust).
# The level new members start at, and Discourse's thresholds for each level (docs/moderators.md).
AGORA_TRUST_LEVEL_FOR_NEW_MEMBERS = envint("AGORA_TRUST_LEVEL_FOR_NEW_MEMBERS", 0)
AGORA_TL1_TOPICS_ENTERED = envint("AGORA_TL1_TOPICS_ENTERED", 5)
AGORA_TL1_POSTS_READ = envint("AGORA_TL1_POSTS_READ", 30)
AGORA_TL1_MINUTES_READING = envint("AGORA_TL1_MINUTES_READING", 10)
AGORA_TL2_DAYS_VISITED = envint("AGORA_TL2_DAYS_VISITED", 15)
AGORA_TL2_LIKES_GIVEN = envint("AGORA_TL2_LIKES_GIVEN", 1)
AGORA_TL2_LIKES_RECEIVED = envint("AGORA_TL2_LIKES_RECEIVED", 1)
AGORA_TL2_TOPICS_REPLIED_TO = envint("AGORA_TL2_TOPICS_REPLIED_TO", 3)
AGORA_TL2_TOPICS_ENTERED = envint("AGORA_TL2_TOPICS_ENTERED", 20)
AGORA_TL2_POSTS_READ = envint("AGORA_TL2_POSTS_READ", 100)
AGORA_TL2_MINUTES_READING = envint("AGORA_TL2_MINUTES_READING", 60)
AGORA_TL3_WINDOW_DAYS = envint("AGORA_TL3_WINDOW_DAYS", 100)
AGORA_TL3_DAYS_VISITED = envint("AGORA_TL3_DAYS_VISITED", 50)
AGORA_TL3_TOPICS_REPLIED_TO = envint("AGORA_TL3_TOPICS_REPLIED_TO", 10)
AGORA_TL3_TOPICS_VIEWED_PERCENT = envint("AGORA_TL3_TOPICS_VIEWED_PERCENT", 25)
AGORA_TL3_TOPICS_VIEWED_CAP = envint("AGORA_TL3_TOPICS_VIEWED_CAP", 500)
AGORA_TL3_POSTS_READ_PERCENT = envint("AGORA_TL3_POSTS_READ_PERCENT", 25)
AGORA_TL3_POSTS_READ_CAP = envint("AGORA_TL3_POSTS_READ_CAP", 20000)
AGORA_TL3_LIKES_GIVEN = envint("AGORA_TL3_LIKES_GIVEN", 30)
AGORA_TL3_LIKES_RECEIVED = envint("AGORA_TL3_LIKES_RECEIVED", 20)
AGORA_TL3_LIKES_RECEIVED_DAYS = envint("AGORA_TL3_LIKES_RECEIVED_DAYS", 7)
AGORA_TL3_LIKES_RECEIVED_USERS = envint("AGORA_TL3_LIKES_RECEIVED_USERS", 5)
AGORA_TL3_TOPICS_VIEWED_ALL_TIME = envint("AGORA_TL3_TOPICS_VIEWED_ALL_TIME", 200)
AGORA_TL3_POSTS_READ_ALL_TIME = envint("AGORA_TL3_POSTS_READ_ALL_TIME", 500)
AGORA_TL3_MAX_FLAGGED_POSTS = envint("AGORA_TL3_MAX_FLAGGED_POSTS", 5)
AGORA_TL3_MAX_FLAGGERS = envint("AGORA_TL3_MAX_FLAGGERS", 5)
# Level 3 is lost when a figure falls under this share of its requirement, after the grace period.
AGORA_TL3_DEMOTION_PERCENT = envint("AGORA_TL3_DEMOTION_PERCENT", 90)
AGORA_TL3_GRACE_DAYS = envint("AGORA_TL3_GRACE_DAYS", 14)
# The browser reports reading every ~30 s: a batch never counts more time than this (nor than the time
# since the previous batch).
AGORA_TRUST_READ_BATCH_MAX_SECONDS = envint("AGORA_TRUST_READ_BATCH_MAX_SECONDS", 60)

# Flags and the review queue (agora.moderation).
# A post whose flags' scores add up to this is hidden at once, pending review (about three level-2 flags:
# each flag weighs 1 + its flagger's trust level, 5 for staff, plus their accuracy bonus).
AGORA_FLAG_HIDE_SCORE = float(os.environ.get("AGORA_FLAG_HIDE_SCORE", "8.3"))
AGORA_MIN_TRUST_TO_FLAG = envint("AGORA_MIN_TRUST_TO_FLAG", 1)  # staff and moderators always may
# A spam flag from this trust level on a new (level 0) member's post hides it at once.
AGORA_FLAG_SPAM_HIDE_TRUST = envint("AGORA_FLAG_SPAM_HIDE_TRUST", 3)
# A new member flagged for spam by this many people is silenced pending review (0: never), for at most
# this many days unless a moderator keeps or lifts it first.
AGORA_AUTO_SILENCE_FLAGGERS = envint("AGORA_AUTO_SILENCE_FLAGGERS", 3)
AGORA_AUTO_SILENCE_DAYS = envint("AGORA_AUTO_SILENCE_DAYS", 365)

# New members' limits and rate limits.
# One switch for every rate limit (ours and allauth's sign-in and sign-up limits); the tests turn it off.
AGORA_RATE_LIMITS_ENABLED = not envbool("AGORA_DISABLE_RATE_LIMITS", False)
# Per person ("user") and per address ("ip"), written as allauth's rates: amount/period/per.
AGORA_RATE_LIMITS = {
    "post": os.environ.get("AGORA_RATE_LIMIT_POST", "10/m/user,30/m/ip,200/d/user"),
    "edit": os.environ.get("AGORA_RATE_LIMIT_EDIT", "20/m/user,60/m/ip"),
    "flag": os.environ.get("AGORA_RATE_LIMIT_FLAG", "20/d/user,60/d/ip"),
    "message": os.environ.get("AGORA_RATE_LIMIT_MESSAGE", "20/d/user,60/d/ip"),
}
# The REST API (/api/v1/): requests per key or signed-in person, and per address for anonymous callers
# (amount/period: s, m, h or d with an optional number, as "1000/h" or "30/5m").
AGORA_API_RATE_LIMIT = os.environ.get("AGORA_API_RATE_LIMIT", "120/m")
AGORA_API_RATE_LIMIT_ANONYMOUS = os.environ.get("AGORA_API_RATE_LIMIT_ANONYMOUS", "30/m")
# Wrong passwords: per address, and per address and account together; never per account alone, so
# nobody can lock the owner out by typing their name (agora/accounts/adapter.py keys it).
AGORA_LOGIN_FAILED_PER_IP = envint("AGORA_LOGIN_FAILED_PER_IP", 30)
AGORA_LOGIN_FAILED_PER_IP_ACCOUNT = envint("AGORA_LOGIN_FAILED_PER_IP_ACCOUNT", 5)
AGORA_LOGIN_FAILED_MINUTES = envint("AGORA_LOGIN_FAILED_MINUTES", 15)
if AGORA_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = {
        "login_failed": f"{AGORA_LOGIN_FAILED_PER_IP}/{AGORA_LOGIN_FAILED_MINUTES}m/ip,"
        f"{AGORA_LOGIN_FAILED_PER_IP_ACCOUNT}/{AGORA_LOGIN_FAILED_MINUTES}m/key",
    }
# New accounts from one address in a day (Discourse's max_new_accounts_per_registration_ip).
AGORA_SIGNUPS_PER_IP = envint("AGORA_SIGNUPS_PER_IP", 3)
# Posting limits: new members (level 0, and level 1 in its account's first day) as Discourse's defaults,
# the pause between posts for everyone and duplicates. False turns them all off (the tests do).
AGORA_POSTING_LIMITS = envbool("AGORA_POSTING_LIMITS", True)
AGORA_NEWUSER_MAX_LINKS = envint("AGORA_NEWUSER_MAX_LINKS", 2)
AGORA_NEWUSER_MAX_IMAGES = envint("AGORA_NEWUSER_MAX_IMAGES", 1)
AGORA_NEWUSER_MAX_MENTIONS = envint("AGORA_NEWUSER_MAX_MENTIONS", 2)
AGORA_NEWUSER_MAX_REPLIES_PER_TOPIC = envint("AGORA_NEWUSER_MAX_REPLIES_PER_TOPIC", 3)
AGORA_FIRST_DAY_MAX_TOPICS = envint("AGORA_FIRST_DAY_MAX_TOPICS", 3)
AGORA_FIRST_DAY_MAX_REPLIES = envint("AGORA_FIRST_DAY_MAX_REPLIES", 10)
AGORA_NEWUSER_SECONDS_BETWEEN_TOPICS = envint("AGORA_NEWUSER_SECONDS_BETWEEN_TOPICS", 120)
AGORA_NEWUSER_SECONDS_BETWEEN_POSTS = envint("AGORA_NEWUSER_SECONDS_BETWEEN_POSTS", 30)
AGORA_SECONDS_BETWEEN_TOPICS = envint("AGORA_SECONDS_BETWEEN_TOPICS", 15)
AGORA_SECONDS_BETWEEN_POSTS = envint("AGORA_SECONDS_BETWEEN_POSTS", 5)
# The same text posted twice by one person within this many minutes is refused (0: allowed).
AGORA_UNIQUE_POSTS_MINUTES = envint("AGORA_UNIQUE_POSTS_MINUTES", 5)
# A new member's first N posts wait for a moderator's approval (0: off, as in Discourse).
AGORA_HOLD_FIRST_POSTS = envint("AGORA_HOLD_FIRST_POSTS", 0)

# Moderator tools.
# The trust levels that unlock editing wiki posts, recategorising and retitling (and retagging) topics,
# and editing any post and pinning topics in their category. Moderators and staff may always.
AGORA_TL_EDIT_WIKI = envint("AGORA_TL_EDIT_WIKI", 1)
AGORA_TL_RECATEGORIZE = envint("AGORA_TL_RECATEGORIZE", 3)
AGORA_TL_EDIT_ALL = envint("AGORA_TL_EDIT_ALL", 4)

# Code of conduct and site pages (agora.pages); remote images.
# Members accept the code of conduct at sign-up; a version staff raise asks each of them again at their
# next page view (agora/pages/middleware.py, after authentication). Its version is cached this long in
# each process. Paths that never ask: files, health, the code itself, accounts (sign-out, email, password),
# the admin, the remote image proxy, and the moderators' inbox.
AGORA_CODE_OF_CONDUCT_CACHE_SECONDS = envint("AGORA_CODE_OF_CONDUCT_CACHE_SECONDS", 60)
AGORA_CODE_OF_CONDUCT_EXEMPT_PATHS = (
    STATIC_URL,
    MEDIA_URL,
    "/healthz",
    "/code-of-conduct",
    "/accounts/",
    "/admin/",
    "/img/",
    "/user_avatar/",  # pictures the Discourse-compatible JSON points at, loaded by img tags, never pages
    "/api/",  # machine answers (problem documents), never a page to redirect
    "/embed/",  # the widget shows visitors' content only, in other sites' frames
    "/preview",
    "/events/geocode",
    "/notifications/mark-read",
    "/messages/moderators",  # someone who cannot accept the new code may still write to the moderators
)
ACCOUNT_FORMS["signup"] = "agora.pages.forms.SignupForm"
_code_middleware = "agora.pages.middleware.CodeOfConductMiddleware"
MIDDLEWARE.insert(MIDDLEWARE.index("agora.core.page_cache.AnonymousPageCacheMiddleware"), _code_middleware)
# Images by address in Markdown are fetched by the server (agora/core/remote_images.py) and served from
# /img/remote/, so readers' browsers never ask a third party: img-src no longer allows any https: host.
AGORA_REMOTE_IMAGES = envbool("AGORA_REMOTE_IMAGES", True)
AGORA_REMOTE_IMAGE_MAX_BYTES = envint("AGORA_REMOTE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
AGORA_REMOTE_IMAGE_TIMEOUT = float(os.environ.get("AGORA_REMOTE_IMAGE_TIMEOUT", "5"))
AGORA_REMOTE_IMAGE_MAX_WIDTH = envint("AGORA_REMOTE_IMAGE_MAX_WIDTH", 1600)
# A failed fetch is tried again after this long (until then, a small "image could not be loaded").
AGORA_REMOTE_IMAGE_RETRY_SECONDS = envint("AGORA_REMOTE_IMAGE_RETRY_SECONDS", 600)
# Networks the fetcher may reach although they are private (none by default: only the public internet).
AGORA_REMOTE_IMAGE_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("AGORA_REMOTE_IMAGE_ALLOWED_NETWORKS", "").split(",") if n.strip()
]

# --- Mail in and out (agora.mail) -------------------------------------------------------------------
# Replies by email go to this address with a key after a plus (replies+KEY@example.org); empty: from the
# domain of DEFAULT_FROM_EMAIL. Keys are refused after AGORA_REPLY_KEY_DAYS.
AGORA_REPLY_ADDRESS = os.environ.get("AGORA_REPLY_ADDRESS", "")
AGORA_REPLY_KEY_DAYS = envint("AGORA_REPLY_KEY_DAYS", 90)
# The inbound receiver (manage.py mail_receiver) refuses larger messages with a 552, while they stream in.
AGORA_INBOUND_MAX_BYTES = envint("AGORA_INBOUND_MAX_BYTES", 10 * 1024 * 1024)
# Notification mail waits this long (nobody is mailed about what they just saw on the site).
AGORA_NOTIFICATION_EMAIL_DELAY_MINUTES = envint("AGORA_NOTIFICATION_EMAIL_DELAY_MINUTES", 10)
# The outbox: a message that cannot be sent (SMTP down, refused) is tried again after
# AGORA_MAIL_RETRY_SECONDS, doubling each time (at most six hours), and given up after AGORA_MAIL_MAX_ATTEMPTS.
AGORA_MAIL_RETRY_SECONDS = envint("AGORA_MAIL_RETRY_SECONDS", 60)
AGORA_MAIL_MAX_ATTEMPTS = envint("AGORA_MAIL_MAX_ATTEMPTS", 8)
