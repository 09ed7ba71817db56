"""Test settings: the real settings, with fast password hashing and mail kept in memory."""

import os
import tempfile

os.environ.setdefault("AGORA_VAR_DIR", tempfile.mkdtemp(prefix="agora-test-"))
os.environ.setdefault("AGORA_DISABLE_RATE_LIMITS", "1")

from agora.core.catalogues import compile_catalogues, interface_languages
from agora.settings import *  # noqa: F403
from agora.settings import CACHES, LOCALE_PATHS, REDIS_URL, STATIC_ROOT, STORAGES

# The catalogues as they are in the tree, compiled (only those changed since), and every one offered
# whatever its share translated, so a language's tests never wait on its translators; the threshold's
# own tests (tests/core/test_catalogues.py) call interface_languages themselves.
compile_catalogues(LOCALE_PATHS[0])
LANGUAGES, LANGUAGES_BIDI = interface_languages(LOCALE_PATHS[0], 0)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = os.path.join(os.environ["AGORA_VAR_DIR"], "media")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests write through services inside a transaction that never commits, so the page cache (which
# invalidates on commit) is off here; tests/core/test_page_cache.py turns it on and commits.
AGORA_PAGE_CACHE_SECONDS = 0
os.makedirs(STATIC_ROOT, exist_ok=True)  # whitenoise warns when it is missing

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
# Each pytest-xdist worker has a page-cache stamp of its own, so one worker's writes never turn another's
# expected cache hit into a miss (they share the var directory).
if AGORA_PAGE_CACHE_STAMP:  # noqa: F405
    AGORA_PAGE_CACHE_STAMP = os.path.join(os.environ["AGORA_VAR_DIR"], f"page-cache-stamp-{_worker or 'main'}")

# Each pytest-xdist worker gets a Redis database of its own, so one worker's cache.clear() (FLUSHDB)
# never empties another's cache in the middle of a test.
if REDIS_URL and _worker.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)
    CACHES = {
        "default": {**CACHES["default"], "LOCATION": urlunsplit(_url._replace(path=f"/{2 + int(_worker[2:]) % 14}"))}
    }
AGORA_GEOCODER_URL = ""  # tests start their own geocoder (tests/events/test_geocoder.py); never the network
AGORA_POSTING_LIMITS = False  # tests/moderation/test_limits.py and friends turn them on
