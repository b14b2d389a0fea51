from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import auth_views
from .wagtail_api import api_router

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file: the CSP refuses inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/auth/token/", auth_views.TokenView.as_view(), name="auth-token"),
    path("v1/auth/token/revoke/", auth_views.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("v1/", include("api.families.urls")),
    path("v1/", include("api.documents.urls")),
    path("v1/", include("api.messaging.urls")),
    path("v1/", include("api.bookings.urls")),
    path("v1/", include("api.attendance.urls")),
    path("v1/", include("api.billing.urls")),
    # Wagtail API v2: public content, headless (namespace "api:wagtailapi").
    path("v2/", include((api_router.get_urlpatterns(), "wagtailapi"))),
]
