"""Settings of ``make bench``: production-like (DEBUG off, gunicorn), the bench URLconf.

The database and the cache come from the environment that ``bench/run.py`` prepares
(a throwaway SQLite file unless BENCH_DATABASE_URL is set; Redis when available).
"""

import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import DATABASE_IS_POSTGRES, DATABASES, LOGGING

if not DATABASE_IS_POSTGRES and os.environ.get("BENCH_SQLITE_PATH"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["BENCH_SQLITE_PATH"]}}

DEBUG = False
SECRET_KEY = "bench-only-secret-key-never-used-for-anything-real-0123456789"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
WHITENOISE_USE_FINDERS = True
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
