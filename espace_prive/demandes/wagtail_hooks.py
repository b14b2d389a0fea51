"""The staff's queue of family requests in the Wagtail admin."""

from django.urls import include, path, reverse
from wagtail import hooks

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions

from . import admin_views
from .permissions import GRANTABLE

admin_urlpatterns = [
    path("", admin_views.StaffQueueView.as_view(), name="index"),
    path("<uuid:request_id>/", admin_views.StaffRequestView.as_view(), name="detail"),
    path(
        "<uuid:request_id>/fichier/<slug:field>/",
        admin_views.StaffRequestFileView.as_view(),
        name="file",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("demandes/", include((admin_urlpatterns, "demandes_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermissionMenuItem(
        "Demandes des familles",
        reverse("demandes_admin:index"),
        name="demandes",
        icon_name="tasks",
        order=150,
        shown_to=admin_views.can_view_queue,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)
