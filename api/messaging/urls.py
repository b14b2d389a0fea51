"""Routes of the messaging API, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("threads", views.ThreadViewSet, basename="thread")
router.register("attachments", views.AttachmentViewSet, basename="attachment")

urlpatterns = router.urls
