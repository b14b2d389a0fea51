"""The family's page of its agenda address (under /espace-famille/); the feed itself is
mounted at the root (``cms.urls``: /agenda/<token>.ics), outside the signed-in area."""

from django.urls import path

from . import views

app_name = "calendar_feed"

urlpatterns = [
    path("", views.calendar_feed_settings, name="settings"),
]
