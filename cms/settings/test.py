"""Test settings: the real database named by DATABASE_URL (SQLite otherwise)."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, STORAGES

DEBUG = False
SECRET_KEY = "test-only-secret-key-with-enough-length-and-entropy-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Runs of thousands of families: PDFs at the first download (tests of the PDFs turn it on).
BILLING_PDFS_AFTER_ISSUE = False

_tmp = Path(tempfile.mkdtemp(prefix="portail-test-"))
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "cms.storage.PrivateStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# pytest-xdist: each worker (gw0, gw1, …) gets its own Redis database below the one
# REDIS_URL names, since every test starts with cache.clear() (a FLUSHDB on Redis).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw") and urlsplit(REDIS_URL).scheme != "unix":
    _parts = urlsplit(REDIS_URL)
    _db = (int(_parts.path.lstrip("/") or 0) - int(_worker[2:])) % 16
    CACHES = {
        **CACHES,
        "default": {**CACHES["default"], "LOCATION": _parts._replace(path=f"/{_db}").geturl()},
    }
