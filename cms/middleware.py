from django.conf import settings
from django.middleware import csp

from .views import healthz


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect.

    Container and load-balancer probes call the app on its internal address over plain
    HTTP, with a Host header that is not one of ALLOWED_HOSTS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


# Everything under these is private: the espace famille, the families' REST API, the admin.
PRIVATE_PREFIXES = ("/espace-famille/", "/api/v1/", "/admin/")
PRIVATE_CACHE_CONTROL = "no-store, private"


def is_private_path(path):
    return path.startswith(PRIVATE_PREFIXES) or f"{path}/" in PRIVATE_PREFIXES


def _cache_directives(response):
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


class PrivateNoStoreMiddleware:
    """No private response is stored by a browser or a proxy, whatever the view.

    Every response under ``PRIVATE_PREFIXES`` (pages, JSON, htmx fragments, downloads,
    redirects, 4xx and 5xx errors, the CSRF failure page) leaves with
    ``Cache-Control: no-store, private``; one that already says both (``never_cache``,
    the downloads) keeps its header. Placed near the top of ``MIDDLEWARE``: the error
    responses made by the middleware below it (CSRF, second factor…) pass through it.
    The public pages and the content API (``/api/v2/``) keep their cache headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_path(request.path_info):
            if not {"no-store", "private"} <= _cache_directives(response):
                response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            # A stale "Expires" from a view would contradict it for old caches.
            if "Expires" in response:
                del response["Expires"]
        return response


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's Content Security Policy, with the admin's own policy under /admin/.

    Wagtail 8 starts its choosers, inline panels and date pickers with inline scripts
    (``BaseChooser.render``, ``inline_panel.html``, ``date_input.html``…): under the
    site's policy the admin could not add a row, choose a snippet or pick a date.
    """

    def process_response(self, request, response):
        if request.path_info.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)


class HeadAsGetMiddleware:
    """Answer HEAD as GET without a body, for every view (RFC 9110 § 9.3.2).

    Function views decorated ``@require_GET`` would answer 405 to HEAD; link checkers,
    monitors and some browsers' prefetches send HEAD. Everything below this middleware
    sees a GET; the response keeps GET's status and headers, its body is dropped.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if getattr(response, "streaming", False):
            response.streaming_content = []  # the file is still closed when the response is
        else:
            if not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
