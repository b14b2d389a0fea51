"""Production: every secret and host comes from the environment; nothing is guessed."""

from .base import *  # noqa: F403
from .base import DATABASE_IS_POSTGRES, REDIS_URL, STORAGES
from .env import env_bool, env_int, env_list, env_smtp, env_str

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required.")
# Links in e-mails (invitations, password resets, answers to requests) start with it:
# by default the first host name served, over HTTPS.
_first_host = ALLOWED_HOSTS[0].lstrip(".")
WAGTAILADMIN_BASE_URL = env_str(
    "WAGTAILADMIN_BASE_URL", None if "*" in _first_host else f"https://{_first_host}"
)
if not WAGTAILADMIN_BASE_URL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable WAGTAILADMIN_BASE_URL is required when the first of "
        "ALLOWED_HOSTS is a wildcard (links in e-mails need the portal's address)."
    )
env_str("DATABASE_URL", required=True)
if not DATABASE_IS_POSTGRES:  # pragma: no cover - guarded by env_str above
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL.")

# The public cache is shared by every gunicorn worker and the task worker only through
# Redis: with a per-process cache, a publication would empty one worker's copy and the
# others would serve the old page until it expires. Without REDIS_URL it is off.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", bool(REDIS_URL))

# HTTPS, usually terminated by a reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# Mail leaves through SMTP: EMAIL_URL, or a mail server on the host itself.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": env_smtp("EMAIL_URL")
        or env_smtp("EMAIL_URL", environ={"EMAIL_URL": "smtp://localhost:25"}),
    }
}

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
