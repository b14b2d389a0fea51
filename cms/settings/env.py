"""Typed readers for environment variables.

Every reader fails loudly with ``ImproperlyConfigured`` naming the variable, so a
typo in a deployment stops start-up instead of silently falling back to a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _redacted(value):
    """The URL with its password hidden, fit for an error message or a log."""
    try:
        parts = urlsplit(value)
        if parts.password is None:
            return value
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return parts._replace(netloc=netloc).geturl()
    except ValueError:
        return "(unreadable URL, not shown)"


def _raw(name, environ):
    environ = os.environ if environ is None else environ
    return environ.get(name)


def env_str(name, default=None, *, required=False, environ=None):
    value = _raw(name, environ)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name, default=False, *, environ=None):
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean "
        f"(true/false, 1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name, default, *, minimum=None, environ=None):
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be an integer, not {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be at least {minimum}, not {number}."
        )
    return number


def env_list(name, default=(), *, environ=None):
    """A comma-separated list; blanks are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name, default=(), *, minimum=None, environ=None):
    """A comma-separated list of integers (``60,300,1800``); a bad item fails loudly."""
    items = env_list(name, [str(item) for item in default], environ=environ)
    numbers = []
    for item in items:
        try:
            number = int(item)
        except ValueError:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list integers, not {item!r}."
            ) from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list numbers of at least {minimum}, "
                f"not {number}."
            )
        numbers.append(number)
    return numbers


def env_choice(name, choices, default, *, environ=None):
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of "
            f"{', '.join(sorted(choices))}, not {value!r}."
        )
    return value


_POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def parse_database_url(name, value):
    """Turn ``postgres://user:pass@host:port/name?opt=v`` into a DATABASES entry."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not a valid URL: {error}."
        ) from None
    if parts.scheme not in _POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a PostgreSQL URL "
            f"(postgres://user:password@host:port/name), not scheme {parts.scheme!r}."
        )
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name or "/" in db_name:
        raise ImproperlyConfigured(
            f"The environment variable {name} must name a database "
            "(postgres://user:password@host:port/name)."
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    conn_max_age = options.pop("conn_max_age", "0")
    try:
        conn_max_age = int(conn_max_age)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} has a non-integer conn_max_age."
        ) from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": conn_max_age > 0,
        "OPTIONS": options,
    }


def env_database(name, *, sqlite_path, environ=None):
    value = env_str(name, environ=environ)
    if value is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}
    return parse_database_url(name, value)


def env_redis_url(name, *, environ=None):
    value = env_str(name, environ=environ)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not a valid URL: {error}."
        ) from None
    if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.path):
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a Redis URL "
            f"(redis://host:port/db), not {_redacted(value)!r}."
        )
    db = parts.path.lstrip("/")
    if parts.scheme != "unix" and db and not db.isdigit():
        raise ImproperlyConfigured(
            f"The environment variable {name} must end with a database number "
            f"(redis://host:port/0), not {db!r}."
        )
    return value


def env_smtp(name, *, environ=None):
    """``smtp://user:password@host:port`` (``smtps://`` for implicit TLS,
    ``?starttls=true`` for STARTTLS) → options of Django's SMTP mail backend."""
    value = env_str(name, environ=environ)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not a valid URL: {error}."
        ) from None
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be an SMTP URL "
            f"(smtp://user:password@host:port), not {_redacted(value)!r}."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    starttls = env_bool("starttls", False, environ={"starttls": query.get("starttls", "")})
    return {
        "host": parts.hostname,
        "port": port or (465 if parts.scheme == "smtps" else 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": parts.scheme == "smtps",
        "use_tls": starttls,
        "timeout": 20,
    }
