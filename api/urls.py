from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .wagtail_api import api_router

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Wagtail API v2: public content, headless (namespace "api:wagtailapi").
    path("v2/", include((api_router.get_urlpatterns(), "wagtailapi"))),
]
