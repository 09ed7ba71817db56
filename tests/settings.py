"""Test settings: the real settings, with fast password hashing and mail kept in memory."""

import os
import tempfile

os.environ.setdefault("AGORA_VAR_DIR", tempfile.mkdtemp(prefix="agora-test-"))
os.environ.setdefault("AGORA_DISABLE_RATE_LIMITS", "1")

from agora.settings import *  # noqa: F403
from agora.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = os.path.join(os.environ["AGORA_VAR_DIR"], "media")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
import os as _os

_os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
