"""Routes of the family file API, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("guardians", views.GuardianViewSet, basename="guardian")
router.register("children", views.ChildViewSet, basename="child")
router.register("requests", views.RequestViewSet, basename="request")

urlpatterns = [
    path("family/", views.FamilyView.as_view(), name="family"),
    path("sections/", views.SectionListView.as_view(), name="sections"),
    *router.urls,
]
