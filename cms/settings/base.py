"""Settings shared by every environment; values come from environment variables."""

from pathlib import Path

from .env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_int_list,
    env_list,
    env_redis_url,
    env_smtp,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")  # each settings module decides what a missing key means
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The expired-form page, with the town's name (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# Name of the demo town / commune, used until a site setting overrides it.
PORTAIL_TOWN_NAME = env_str("PORTAIL_TOWN_NAME", "Portail Famille")
# Stripe: each régie names the variables holding its keys (default STRIPE_SECRET_KEY and
# STRIPE_WEBHOOK_SECRET); STRIPE_API_BASE points the SDK elsewhere (tests: a local fake).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
# Invoice PDFs are made by the task that follows a run's issue (off: at the first
# download only, e.g. for a benchmark of the issue alone).
BILLING_PDFS_AFTER_ISSUE = env_bool("BILLING_PDFS_AFTER_ISSUE", True)
# Where « Payer » sends the family: the pages with that form allow it in form-action.
STRIPE_CHECKOUT_ORIGIN = env_str("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")

INSTALLED_APPS = [
    # Project apps first so that their templates win over the libraries'.
    "cms",
    "espace_prive",
    "espace_prive.accounts",
    "espace_prive.catalogue",
    "espace_prive.families",
    "espace_prive.demandes",
    "espace_prive.documents",
    "espace_prive.messaging",
    "espace_prive.bookings",
    "espace_prive.billing",
    "espace_prive.attendance",
    "espace_prive.kitchen",
    "pages",
    "api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    # Libraries
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # HEAD answered as GET (status and headers), whatever the view allows.
    "cms.middleware.HeadAsGetMiddleware",
    "cms.middleware.HealthCheckMiddleware",
    # Private responses (espace famille, /api/v1/, admin) never stored, errors included.
    "cms.middleware.PrivateNoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves anonymous visitors from the public cache before sessions, CSRF and auth.
    "pages.cache.PublicPageCacheMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Accounts: idle timeout, second factor (mandatory for staff), applicants' limits.
    "espace_prive.accounts.middleware.SessionIdleTimeoutMiddleware",
    "espace_prive.accounts.middleware.SecondFactorRequiredMiddleware",
    "espace_prive.accounts.middleware.ApplicantRestrictionMiddleware",
    # Private-area sections of the admin: 403 to back-office users without a role there.
    "espace_prive.admin_gate.PrivateAreaAdminGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.portail",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=BASE_DIR / "db.sqlite3")}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "portail")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portail",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
        }
    }

# Wagtail stores every rendition it looks up in the cache (8.0.1): keep that traffic in
# the process rather than on Redis.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 600,
}
# Whole public pages for anonymous visitors (pages.cache); invalidated on publication.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)
PUBLIC_CACHE_TIMEOUT = env_int("PUBLIC_CACHE_TIMEOUT", 600, minimum=0)

# --- Background tasks (django.tasks) ----------------------------------------------------
# "immediate" runs a task inline (tests, embedded default); "database" queues it in
# PostgreSQL with django-tasks-db, in the same transaction as the data, for
# `python manage.py db_worker`.
TASKS_BACKEND = env_choice("TASKS_BACKEND", {"immediate", "database"}, "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
    }
}

# --- Users and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "espace_prive:accounts:login"
LOGIN_REDIRECT_URL = "/espace-famille/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # French common passwords (with digits around them), the user's names and e-mail,
    # the town's name: espace_prive/accounts/password_validators.py.
    {"NAME": "espace_prive.accounts.password_validators.FrenchCommonPasswordValidator"},
    {"NAME": "espace_prive.accounts.password_validators.PersonalInformationValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Accounts and security (espace_prive.accounts) ------------------------------------
# Idle timeout: the session ends after this many minutes without a request.
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", 30, minimum=1) * 60
SESSION_IDLE_TIMEOUT_FAMILY = env_int("SESSION_IDLE_TIMEOUT_FAMILY_MINUTES", 120, minimum=1) * 60
# Server-side expiry of a session row, renewed at most once a minute while in use.
SESSION_COOKIE_AGE = max(SESSION_IDLE_TIMEOUT_STAFF, SESSION_IDLE_TIMEOUT_FAMILY)
# Brute force: after N failures for one (account, IP) pair, that pair is locked.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60  # reset links: single use, valid 24 hours
EMAIL_CONFIRMATION_TIMEOUT = 24 * 60 * 60  # e-mail confirmation links
INVITATION_LINK_VALIDITY_DAYS = env_int("INVITATION_LINK_VALIDITY_DAYS", 14, minimum=1)
INVITATION_CODE_VALIDITY_DAYS = env_int("INVITATION_CODE_VALIDITY_DAYS", 30, minimum=1)
API_TOKEN_TTL_MINUTES = env_int("API_TOKEN_TTL_MINUTES", 60, minimum=1)
# Security journal retention (purge_security_data, to run nightly).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=1)


# Second factor (django-otp): the issuer shown in authenticator apps is the town's name.
def OTP_TOTP_ISSUER(device):  # a setting that django-otp calls with the device
    from espace_prive.town import town_name

    return town_name()


# Paths where a session that must pass the second factor (staff always, families who
# enrolled) is stopped until it has: the admin, the private area, the REST API.
SECOND_FACTOR_PROTECTED_PREFIXES = ["/admin/", "/espace-famille/", "/api/", "/documents/"]
# The Wagtail admin signs in with our form (lockout, journal); passwords are changed and
# reset on the portal's own pages, which keep the security journal.
WAGTAILADMIN_USER_LOGIN_FORM = "espace_prive.accounts.forms.AdminLoginForm"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Public uploads (Wagtail images and documents) are served by the app under MEDIA_URL
# unless a front web server does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Families' private files (photos, supporting documents, attachments). Never under
# MEDIA_ROOT or STATIC_ROOT; only views that check ownership read them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cms.storage.PrivateStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ------------------------------------------------------------------------------
# Without a display name, e-mails are sent as the town (site settings), see notify().
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# EMAIL_URL unset: messages are printed on the console (development, demo).
_smtp_options = env_smtp("EMAIL_URL")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": _smtp_options,
        }
        if _smtp_options
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}

# espace_prive.notifications: a message the mail server refused is sent again after each
# of these delays (seconds), then given up with an error in the log.
NOTIFICATION_RETRY_DELAYS = env_int_list(
    "NOTIFICATION_RETRY_DELAYS", [60, 300, 1800, 7200, 21600], minimum=0
)

# --- Security (tightened further in production.py) -----------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow same-origin framing themselves
# Django's built-in Content Security Policy: everything from our own origin, nothing
# from a CDN. Wagtail's admin still needs inline styles.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# The Wagtail admin (cms.middleware.ContentSecurityPolicyMiddleware): Wagtail 8 starts
# its widgets with inline scripts, so they are allowed there, and there only (a nonce in
# the policy would make browsers ignore 'unsafe-inline').
SECURE_CSP_ADMIN = {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

# Client IP: only trust X-Forwarded-For when a proxy in front of us is declared.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- Wagtail -----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PORTAIL_TOWN_NAME
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "bmp": "webp"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
if DATABASE_IS_POSTGRES:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.database",
            "SEARCH_CONFIG": "french",
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Family requests (espace_prive.demandes) ---------------------------------------------
# Every change a family makes to its file is a request that staff accept or refuse.
# Sections listed here (keys of espace_prive.families.sections.SECTIONS, for instance
# "guardian_phones") apply at once, without validation; additions always wait for staff.
DEMANDES_AUTO_APPLY_SECTIONS = env_list("DEMANDES_AUTO_APPLY_SECTIONS", [])
# Decided requests stay in the family's "Liste des demandes" for this many days.
DEMANDES_HISTORY_DAYS = env_int("DEMANDES_HISTORY_DAYS", 31, minimum=1)

# --- Documents and messages (espace_prive.documents, espace_prive.messaging) -----------
# A document is shown as "expire bientôt" this many days before its expiry.
DOCUMENTS_EXPIRING_DAYS = env_int("DOCUMENTS_EXPIRING_DAYS", 30, minimum=1)
# A message to many families is delivered by batches of this many families.
MESSAGING_BROADCAST_BATCH = env_int("MESSAGING_BROADCAST_BATCH", 200, minimum=1)
# Links in messages are clickable only towards the portal and these hosts (and their
# subdomains), over https; any other address is shown as text.
MESSAGING_SAFE_LINK_HOSTS = env_list(
    "MESSAGING_SAFE_LINK_HOSTS", ["service-public.fr", "caf.fr", "education.gouv.fr"]
)

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portail Famille API",
    "DESCRIPTION": "API REST de l'espace famille : mêmes règles et permissions que le portail.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Document our REST API only, not Wagtail's internal admin API.
    "PREPROCESSING_HOOKS": ["api.schema.only_rest_api_endpoints"],
    # Several models have a "state": each set of choices gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "EnrolmentStateEnum": "espace_prive.bookings.models.EnrolmentState",
        "BookingStateEnum": "espace_prive.bookings.models.BookingState",
        "AgendaStateEnum": "api.bookings.serializers.AGENDA_STATES",
        "MarkStateEnum": "espace_prive.attendance.models.MarkState",
        "RegisterStateEnum": "espace_prive.attendance.models.RegisterState",
    },
}

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, "INFO"),
    },
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per task state change is noise; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # PDF editions: one line per rendering step is noise.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
