"""Development and the embedded demo: SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A fixed key is acceptable here only: production.py refuses to start without one.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")

# Serve static files straight from the apps and static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
