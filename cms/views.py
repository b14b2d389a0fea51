import logging

from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from espace_prive.town import town_name_or_default

logger = logging.getLogger(__name__)

_PROBE_KEY = "healthz:probe"


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def _cache_answers():
    try:
        cache.set(_PROBE_KEY, "ok", timeout=10)
        return cache.get(_PROBE_KEY) == "ok"
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return False


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise (for probes)."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": {name: "ok" if passed else "error" for name, passed in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


NOT_FOUND_MESSAGE = "Cette adresse n'existe pas dans l'API."


def page_not_found(request, exception):
    """The French 404 page; JSON in the API's error shape for addresses under /api/."""
    if request.path.startswith("/api/v1/"):
        error = {"code": "not_found", "message": NOT_FOUND_MESSAGE, "fields": {}}
        return JsonResponse({"error": error}, status=404)
    if request.path.startswith("/api/"):
        return JsonResponse({"message": NOT_FOUND_MESSAGE}, status=404)
    return defaults.page_not_found(request, exception)


@require_safe
def favicon(request):
    """Browsers and crawlers that ask for /favicon.ico get the site's icon, not a 404 page
    rendered in full."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# Pages shown when something failed: Django renders them without the context processors,
# so the town's name is given here, read without failing if the database is down.
@requires_csrf_token
def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"town_name": town_name_or_default()}))


@requires_csrf_token
def bad_request(request, exception):
    template = loader.get_template("400.html")
    return HttpResponseBadRequest(template.render({"town_name": town_name_or_default()}))


def csrf_failure(request, reason=""):
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"town_name": town_name_or_default()}))
