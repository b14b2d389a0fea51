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
