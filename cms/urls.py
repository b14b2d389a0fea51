from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_static_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from espace_prive.bookings.feed import views as calendar_feed_views

from . import documents, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view with byte ranges (videos on iPhones); its URLs stay named.
    re_path(r"^documents/(\d+)/(.*)$", documents.serve),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
    path("espace-famille/", include("espace_prive.urls", namespace="espace_prive")),
    # A family's agenda (iCal), read by calendar applications: the token is the key.
    path("agenda/<str:token>.ics", calendar_feed_views.calendar_feed, name="calendar_feed"),
]

if settings.SERVE_MEDIA:
    # Public uploads only (Wagtail images): private files live outside MEDIA_ROOT.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_static_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler404 = "cms.views.page_not_found"
handler400 = "cms.views.bad_request"
handler500 = "cms.views.server_error"

# Wagtail's page tree answers everything else, and raises 404 for unknown paths.
urlpatterns += [path("", include(wagtail_urls))]
