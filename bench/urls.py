"""The site's URLs plus a bare Django view, the baseline of ``make bench``.

Used only by bench/settings.py: the baseline view never exists on a real site.
"""

from django.http import HttpResponse
from django.urls import include, path


def bare_view(request):
    """The cheapest Django response: the whole middleware stack, no template, no query."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare_view, name="bench_bare"),
    path("", include("cms.urls")),
]
