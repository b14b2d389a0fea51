"""The public cache: whole responses of public pages and of the content API.

* Only anonymous visitors are served from it or fill it: a request carrying a session
  or messages cookie (a signed-in editor or family, a pending flash message) or an
  ``Authorization`` header always reaches the views, and its response is never stored.
* Only responses that a view marked as public (``mark_public``: Wagtail pages through
  the ``before_serve_page`` hook, the Wagtail API v2 viewsets) are stored, and only if
  they are 200s that set no cookie and used neither a CSRF token nor a CSP nonce.
* Query strings are part of the key, but only a few known parameters are allowed
  (pagination, news category, API filters); any other parameter bypasses the cache so
  that random URLs cannot fill it.
* Invalidation is global and cheap: every entry records the *generation* it was made
  in; publishing, unpublishing, moving or deleting a page, or changing a snippet,
  setting, image or document shown on pages, sets a new generation once the
  transaction commits. Reading an entry and the current generation is one round trip
  (``get_many``). The key also holds today's date, so "this week's menu" and alert
  banners roll over at midnight.

The middleware sits just after WhiteNoise so that a hit skips sessions, CSRF,
authentication and the rest of the stack.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "public-cache:generation"
ENTRY_PREFIX = "public-cache:entry:"
CACHE_HEADER = "X-Public-Cache"

PAGE_QUERY_PARAMS = frozenset({"page", "categorie"})
API_QUERY_PARAMS = frozenset(
    {"type", "fields", "limit", "offset", "order", "child_of", "descendant_of", "slug", "week"}
)
API_PREFIX = "/api/v2/"
EXCLUDED_PREFIXES = (
    "/admin/",
    "/espace-famille/",
    "/api/v1/",
    "/api/schema/",
    "/api/docs/",
    "/documents/",
    "/media/",
    "/static/",
    "/healthz",
)
MAX_QUERY_LENGTH = 256
# The generation expires after a day (every entry then becomes stale, which is safe), so
# that no key outlives its use, e.g. after a benchmark on a shared Redis.
GENERATION_TIMEOUT = 24 * 3600
# Headers set by the outer middleware (security) on every response: not stored.
_NOT_STORED = {"set-cookie"}


def _cache():
    return caches[getattr(settings, "PUBLIC_CACHE_ALIAS", "default")]


def _timeout():
    return getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


def _enabled():
    return getattr(settings, "PUBLIC_CACHE_ENABLED", True)


def _anonymous(request):
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def entry_key(request):
    """The cache key of this request, or None when it must bypass the cache."""
    if request.method not in ("GET", "HEAD") or not _anonymous(request):
        return None
    path = request.path
    if path.startswith(EXCLUDED_PREFIXES):
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_LENGTH:
        return None
    allowed = API_QUERY_PARAMS if path.startswith(API_PREFIX) else PAGE_QUERY_PARAMS
    params = sorted((name, value) for name, values in request.GET.lists() for value in values)
    if any(name not in allowed for name, _value in params):
        return None
    raw = "\n".join(
        [request.get_host(), path, timezone.localdate().isoformat()]
        + [f"{name}={value}" for name, value in params]
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def mark_public(request):
    """Called by a view whose response is the same for every anonymous visitor."""
    request.public_cache_allowed = True


def _current_generation(cache, known):
    if known is not None:
        return known
    token = uuid.uuid4().hex
    if cache.add(GENERATION_KEY, token, timeout=GENERATION_TIMEOUT):
        return token
    return cache.get(GENERATION_KEY) or token


def cached_in_generation(key, compute, *, timeout=None):
    """``compute()``, stored until the next invalidation (one cache round trip on a hit).

    For pieces shared by many pages (the site's header and footer); the value must be
    picklable and the same for every visitor.
    """
    cache = _cache()
    found = cache.get_many([key, GENERATION_KEY])
    generation = _current_generation(cache, found.get(GENERATION_KEY))
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(key, (generation, value), _timeout() if timeout is None else timeout)
    return value


def invalidate():
    """Start a new generation now: every stored page becomes stale."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=GENERATION_TIMEOUT)


def invalidate_on_commit():
    """Invalidate once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(invalidate)


def _storable(request, response):
    if not getattr(request, "public_cache_allowed", False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if bool(getattr(request, "_csp_nonce", None)):  # a nonce is single-use
        return False
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = entry_key(request) if _enabled() else None
        if key is None:
            response = self.get_response(request)
            if getattr(request, "public_cache_allowed", False):
                patch_vary_headers(response, ("Cookie",))
            return response

        cache = _cache()
        found = cache.get_many([key, GENERATION_KEY])
        generation = _current_generation(cache, found.get(GENERATION_KEY))
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _generation, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[CACHE_HEADER] = "hit"
            return response

        response = self.get_response(request)
        if getattr(request, "public_cache_allowed", False):
            patch_vary_headers(response, ("Cookie",))
        if _storable(request, response):
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_STORED
            ]
            # Stored under the generation read *before* rendering: a page rendered
            # while an editor published is never served as fresh.
            cache.set(
                key, (generation, response.status_code, headers, response.content), _timeout()
            )
            response.headers[CACHE_HEADER] = "miss"
        return response
