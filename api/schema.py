"""OpenAPI schema hooks."""

REST_API_PREFIX = "/api/v1/"


def only_rest_api_endpoints(endpoints, **kwargs):
    """Keep the portal's REST API; Wagtail's admin and content APIs are documented apart."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(REST_API_PREFIX)]
