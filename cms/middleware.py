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
