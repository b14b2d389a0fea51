"""Routes of the documents API, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("document-types", views.DocumentTypeViewSet, basename="document-type")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = router.urls
