"""Small security helpers: client IP behind trusted proxies, secrets and their hashes."""

import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

USER_AGENT_MAX_LENGTH = 300
# No 0/O, 1/I/L: a code typed from a paper letter must be unambiguous.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 12


def _valid_ip(value):
    """The canonical form of an IP address, or None.

    Accepts what proxies write in ``X-Forwarded-For``: ``203.0.113.5``,
    ``203.0.113.5:4711``, ``2001:db8::1``, ``[2001:db8::1]`` and ``[2001:db8::1]:443``,
    with surrounding spaces or quotes. Zone ids (``fe80::1%eth0``) are dropped, and an
    IPv4-mapped IPv6 address gives the IPv4 one.
    """
    if not isinstance(value, str):
        return None
    value = value.strip().strip('"').strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):
        end = value.find("]")
        if end == -1 or not (value[end + 1 :] == "" or _is_port(value[end + 1 :])):
            return None
        value = value[1:end]
    elif value.count(":") == 1:
        host, _sep, port = value.partition(":")
        if not _is_port(":" + port):
            return None
        value = host
    value = value.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def _is_port(text):
    return len(text) > 1 and text[0] == ":" and text[1:].isascii() and text[1:].isdigit()


def client_ip(request):
    """The client's address.

    ``X-Forwarded-For`` is trusted only when ``TRUSTED_PROXY_COUNT`` proxies are
    declared in front of the application: each appends the address it received the
    request from, so the client is the N-th entry from the right (the right-most hop
    no trusted proxy wrote). Anything to its left was written by the client and cannot
    be trusted. Ports are stripped; a value that is not an address gives ``REMOTE_ADDR``.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not isinstance(header, str):
        return remote
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not entries:
        return remote
    candidate = entries[-min(count, len(entries))]
    return _valid_ip(candidate) or remote


def user_agent(request):
    return (request.META.get("HTTP_USER_AGENT", "") or "")[:USER_AGENT_MAX_LENGTH]


def request_origin(request):
    """Where a staff or family action came from, for the services that journal it:
    ``services.user_access_revoke(actor=..., user=..., **request_origin(request))``."""
    if request is None:
        return {}
    return {"ip": client_ip(request), "user_agent": user_agent(request)}


def new_token(prefix=""):
    """A random URL-safe secret with 256 bits of entropy."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token):
    """SHA-256 of a high-entropy token: enough, since it cannot be guessed."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_access_code():
    """``ABCD-EFGH-JKMN``: about 59 bits, typed by hand from a letter."""
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, ACCESS_CODE_LENGTH, 4))


def normalize_access_code(code):
    """Upper-case, without spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def access_code_hash(code):
    """Keyed hash of an access code: short codes must not be brute-forced offline."""
    normalized = normalize_access_code(code)
    return salted_hmac("accounts.access-code", normalized, algorithm="sha256").hexdigest()


def constant_time_equals(a, b):
    return hmac.compare_digest(str(a), str(b))
