"""Routes of the messaging API, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("threads", views.ThreadViewSet, basename="thread")
router.register("attachments", views.AttachmentViewSet, basename="attachment")

urlpatterns = [
    path(
        "notification-preferences/",
        views.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
